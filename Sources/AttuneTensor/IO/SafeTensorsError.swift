// Everything that can be wrong with a safetensors file, each case naming the file, the tensor and the numbers involved.
import Foundation

public enum SafeTensorsError: LocalizedError, Equatable {
    /// The file could not be opened or mapped (missing, unreadable, a directory, ...).
    case cannotOpen(path: String, reason: String)
    /// Shorter than the 8-byte header length prefix.
    case fileTooSmall(path: String, size: Int)
    /// The declared header length exceeds the reference implementation's 100 MB limit.
    case headerTooLarge(path: String, length: UInt64, limit: Int)
    /// The declared header length runs past the end of the file.
    case headerBeyondFile(path: String, length: UInt64, fileSize: Int)
    case headerNotUTF8(path: String)
    case invalidJSON(path: String, offset: Int, reason: String)
    /// The header parsed but is not a JSON object.
    case headerNotObject(path: String, found: String)
    /// A tensor entry lacks a field or has a field of the wrong JSON type.
    case invalidEntry(path: String, tensor: String, reason: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case invalidShape(path: String, tensor: String, reason: String)
    case invalidOffsets(path: String, tensor: String, reason: String)
    /// The tensor's bytes run past the end of the data section (a truncated file).
    case dataBeyondFile(path: String, tensor: String, end: Int, dataSize: Int)
    /// `data_offsets` span a different number of bytes than the shape and dtype need.
    case byteCountMismatch(path: String, tensor: String, dtype: String, shape: [Int], expected: Int, actual: Int)
    case overlappingTensors(path: String, first: String, firstRange: Range<Int>, second: String, secondRange: Range<Int>)
    case invalidMetadata(path: String, reason: String)
    case tensorNotFound(path: String, tensor: String)
    /// The dtype is valid in a header but has no conversion to a `Tensor` here (fp8).
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor name that the format reserves (`__metadata__`).
    case reservedName(path: String, tensor: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open safetensors file \(path): \(reason)"
        case let .fileTooSmall(path, size):
            return "\(path) is not a safetensors file: it has \(size) bytes, fewer than the 8-byte header length"
        case let .headerTooLarge(path, length, limit):
            return "\(path): the header claims \(length) bytes, more than the \(limit)-byte limit (not a safetensors file?)"
        case let .headerBeyondFile(path, length, fileSize):
            return "\(path): the header claims \(length) bytes but the file has only \(fileSize) bytes (truncated?)"
        case let .headerNotUTF8(path):
            return "\(path): the safetensors header is not valid UTF-8"
        case let .invalidJSON(path, offset, reason):
            return "\(path): the safetensors header is not valid JSON at byte \(offset) of the header: \(reason)"
        case let .headerNotObject(path, found):
            return "\(path): the safetensors header must be a JSON object, found \(found)"
        case let .invalidEntry(path, tensor, reason):
            return "\(path): tensor '\(tensor)': \(reason)"
        case let .unknownDType(path, tensor, dtype):
            return "\(path): tensor '\(tensor)' has unknown dtype '\(dtype)' (expected one of "
                + SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case let .invalidShape(path, tensor, reason):
            return "\(path): tensor '\(tensor)' has an invalid shape: \(reason)"
        case let .invalidOffsets(path, tensor, reason):
            return "\(path): tensor '\(tensor)' has invalid data_offsets: \(reason)"
        case let .dataBeyondFile(path, tensor, end, dataSize):
            return "\(path): tensor '\(tensor)' ends at data byte \(end) but the data section has only \(dataSize) bytes (truncated file?)"
        case let .byteCountMismatch(path, tensor, dtype, shape, expected, actual):
            return "\(path): tensor '\(tensor)' (\(dtype), shape \(shape)) needs \(expected) bytes but data_offsets span \(actual)"
        case let .overlappingTensors(path, first, firstRange, second, secondRange):
            return "\(path): tensors '\(first)' (bytes \(firstRange.lowerBound)..<\(firstRange.upperBound)) and '\(second)' "
                + "(bytes \(secondRange.lowerBound)..<\(secondRange.upperBound)) overlap"
        case let .invalidMetadata(path, reason):
            return "\(path): __metadata__ must map strings to strings: \(reason)"
        case let .tensorNotFound(path, tensor):
            return "\(path) has no tensor named '\(tensor)'"
        case let .unsupportedDType(path, tensor, dtype):
            return "\(path): tensor '\(tensor)' has dtype \(dtype), which cannot be converted to a tensor"
        case let .reservedName(path, tensor):
            return "cannot write \(path): '\(tensor)' is reserved by the safetensors format and cannot name a tensor"
        }
    }
}
