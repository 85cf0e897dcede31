// Reader for .safetensors files (format of huggingface/safetensors) over a read-only memory map.
// The whole header is validated when the file is opened; tensors are then copied out into aligned storage on request
// (offsets in real files are not always aligned, so mapped bytes are never reinterpreted in place).
import Foundation

#if _endian(big)
#error("safetensors data is little-endian; this reader and the writer copy bytes as they are")
#endif

public final class SafeTensorsFile: @unchecked Sendable {
    public let url: URL
    /// Sorted tensor names.
    public let names: [String]
    public let metadata: [String: String]

    private let map: MemoryMappedFile
    private let tensors: [String: TensorInfo]
    /// Offset of the data section (8 + header length) within the file.
    private let dataStart: Int

    public init(url: URL) throws {
        self.url = url
        let path = url.path
        map = try MemoryMappedFile(path: path)
        let file = map.bytes
        guard file.count >= 8 else { throw SafeTensorsError.fileTooSmall(path: path, size: file.count) }
        let declared = file.loadUnaligned(as: UInt64.self)
        guard declared <= UInt64(SafeTensorsHeader.maximumLength) else {
            throw SafeTensorsError.headerTooLarge(path: path, length: declared, limit: SafeTensorsHeader.maximumLength)
        }
        let headerLength = Int(declared)
        guard headerLength <= file.count - 8 else {
            throw SafeTensorsError.headerBeyondFile(path: path, length: declared, fileSize: file.count)
        }
        dataStart = 8 + headerLength
        let json = UnsafeRawBufferPointer(rebasing: file[8..<dataStart]).bindMemory(to: UInt8.self)
        let header = try SafeTensorsHeader(json: json, dataSize: file.count - dataStart, path: path)
        tensors = header.tensors
        metadata = header.metadata
        names = header.tensors.keys.sorted()
    }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    public func info(_ name: String) -> TensorInfo? { tensors[name] }

    /// The tensor `name`: F32, F16 and BF16 keep their storage dtype; every other numeric dtype is converted to F32.
    public func tensor(_ name: String) throws -> Tensor {
        let info = try require(name)
        guard let dtype = info.dtype.storageDType else { return try convertedToFloat32(info) }
        let storage = TensorStorage(dtype: dtype, count: info.elementCount, zeroed: false)
        if let source = bytes(of: info).baseAddress {
            storage.raw.copyMemory(from: source, byteCount: info.dataOffsets.count)
        }
        return Tensor(shape: info.shape, storage: storage)
    }

    /// The tensor `name` as F32, whatever its stored dtype.
    public func floatTensor(_ name: String) throws -> Tensor {
        try tensor(name).widened()
    }

    private func require(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else { throw SafeTensorsError.tensorNotFound(path: url.path, tensor: name) }
        return info
    }

    private func fileRange(of info: TensorInfo) -> Range<Int> {
        (dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)
    }

    private func bytes(of info: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: map.bytes[fileRange(of: info)])
    }

    /// Integer, boolean and F64 tensors, widened (or rounded, for F64 and large integers) to F32.
    private func convertedToFloat32(_ info: TensorInfo) throws -> Tensor {
        let src = bytes(of: info)
        var out = Tensor(uninitialized: info.shape)
        let dst = out.mutableFloats
        func convert<T>(_: T.Type, _ toFloat: (T) -> Float) {
            for i in 0..<dst.count { dst[i] = toFloat(src.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)) }
        }
        switch info.dtype {
        case .bool: convert(UInt8.self) { $0 == 0 ? 0 : 1 }
        case .u8: convert(UInt8.self) { Float($0) }
        case .i8: convert(Int8.self) { Float($0) }
        case .i16: convert(Int16.self) { Float($0) }
        case .u16: convert(UInt16.self) { Float($0) }
        case .i32: convert(Int32.self) { Float($0) }
        case .u32: convert(UInt32.self) { Float($0) }
        case .i64: convert(Int64.self) { Float($0) }
        case .u64: convert(UInt64.self) { Float($0) }
        case .f64: convert(Double.self) { Float($0) }
        case .f8e5m2, .f8e4m3:
            throw SafeTensorsError.unsupportedDType(path: url.path, tensor: info.name, dtype: info.dtype.rawValue)
        case .f32, .f16, .bf16:
            preconditionFailure("convertedToFloat32: \(info.dtype) is stored as is")
        }
        return out
    }
}
