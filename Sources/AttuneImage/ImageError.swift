// What can go wrong reading, writing or sizing images; every file error names the file.
import Foundation

public enum ImageError: LocalizedError, Equatable {
    /// Missing, unreadable, a directory, ...
    case cannotRead(path: String, reason: String)
    case notPNG(path: String, detail: String)
    case truncated(path: String, detail: String)
    case corrupt(path: String, detail: String)
    /// A valid PNG that Attune will not decode (too many pixels).
    case unsupported(path: String, detail: String)
    case cannotWrite(path: String, reason: String)
    /// A requested Stable Diffusion size that the model cannot take.
    case invalidTargetSize(width: Int, height: Int)

    public var errorDescription: String? {
        switch self {
        case let .cannotRead(path, reason): return "cannot read image \(path): \(reason)"
        case let .notPNG(path, detail): return "\(path) is not a PNG file: \(detail)"
        case let .truncated(path, detail): return "\(path) is a truncated PNG: \(detail)"
        case let .corrupt(path, detail): return "\(path) is a corrupt PNG: \(detail)"
        case let .unsupported(path, detail): return "\(path): unsupported PNG: \(detail)"
        case let .cannotWrite(path, reason): return "cannot write image \(path): \(reason)"
        case let .invalidTargetSize(width, height):
            return "Stable Diffusion needs a width and height that are positive multiples of 8, not \(width)x\(height)"
        }
    }
}
