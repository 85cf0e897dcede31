// Masks from PNG files, checked against the picture they belong to: a mask must have the size of the
// source picture as given (it then goes through the same resize and crop) or the size the model sees.
import AttuneImage
import AttuneTensor
import Foundation

public enum MaskError: LocalizedError, Equatable {
    case sizeMismatch(path: String, mask: String, allowed: [String])
    case empty(path: String)

    public var errorDescription: String? {
        switch self {
        case .sizeMismatch(let path, let mask, let allowed):
            return "mask \(path) is \(mask), but it must match its picture: \(allowed.joined(separator: " or "))"
        case .empty(let path):
            return "mask \(path) selects nothing (every pixel is black)"
        }
    }
}

public enum MaskInput {
    /// Reads a mask PNG (white = inside; gray levels kept) at the model's image size.
    /// `original` is the size of the picture the mask was drawn on, before it was fitted to width x height.
    public static func read(_ url: URL, original: (width: Int, height: Int)?, width: Int, height: Int) throws -> Mask {
        let image = try PNGFile.read(url).image.grayscale()
        var fitted = image
        if image.width == width && image.height == height {
            fitted = image
        } else if let original, image.width == original.width, image.height == original.height {
            fitted = try prepareForStableDiffusion(image, width: width, height: height).image
        } else {
            let allowed = ["\(width)x\(height) (the model's size)"] + (original.map { ["\($0.width)x\($0.height) (the picture's size)"] } ?? [])
            throw MaskError.sizeMismatch(path: url.path, mask: "\(image.width)x\(image.height)", allowed: allowed)
        }
        let mask = Mask(height: height, width: width, values: fitted.pixels)
        if mask.values.allSatisfy({ $0 == 0 }) { throw MaskError.empty(path: url.path) }
        return mask
    }
}
