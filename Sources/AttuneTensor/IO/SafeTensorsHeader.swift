// The safetensors header: dtype codes, per-tensor entries, and the validation that runs before any tensor byte is read.
// Layout (docs.rs `safetensors`): u64 little-endian N | N bytes of UTF-8 JSON | data. Each entry is
// {"dtype", "shape", "data_offsets": [begin, end]} with half-open offsets relative to the start of the data section.

/// Element types a safetensors header may name (the byte-sized ones; sub-byte fp4/fp6 codes are rejected as unknown).
/// Declared in the order of safetensors' Rust `Dtype` enum, which writers use (descending) to order tensors.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// The `Tensor` storage type that holds this dtype unchanged, if any.
    public var storageDType: DType? {
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        default: return nil
        }
    }

    public init(_ dtype: DType) {
        switch dtype {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        }
    }

    /// Position in the Rust enum; safetensors writes higher ranks first.
    var writeRank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// One tensor's entry in the header, validated against the file.
public struct TensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// The tensor's bytes within the data section (the bytes after the header), as stored in `data_offsets`.
    public let dataOffsets: Range<Int>

    public var elementCount: Int { dataOffsets.count / dtype.byteSize }
}

/// A parsed and fully validated header.
struct SafeTensorsHeader {
    /// The reference implementation refuses headers above 100 MB.
    static let maximumLength = 100_000_000
    static let metadataKey = "__metadata__"

    let tensors: [String: TensorInfo]
    let metadata: [String: String]

    /// Parses `json` (the header bytes) and checks every entry against a data section of `dataSize` bytes.
    init(json: UnsafeBufferPointer<UInt8>, dataSize: Int, path: String) throws {
        guard String(validating: json, as: UTF8.self) != nil else { throw SafeTensorsError.headerNotUTF8(path: path) }
        let root: JSONValue
        do {
            root = try JSONParser.parse(json)
        } catch let error as JSONSyntaxError {
            throw SafeTensorsError.invalidJSON(path: path, offset: error.offset, reason: error.reason)
        }
        guard case .object(let members) = root else {
            throw SafeTensorsError.headerNotObject(path: path, found: root.typeName)
        }
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        // Sorted, so that a file with several faults always reports the same one.
        for (name, entry) in members.sorted(by: { $0.key < $1.key }) {
            if name == Self.metadataKey {
                metadata = try Self.metadata(entry, path: path)
            } else {
                tensors[name] = try Self.tensorInfo(name: name, entry: entry, dataSize: dataSize, path: path)
            }
        }
        try Self.checkNoOverlap(tensors.values, path: path)
        self.tensors = tensors
        self.metadata = metadata
    }

    /// `__metadata__` is a {string: string} object; null is accepted as empty, as the reference (an Option) does.
    static func metadata(_ value: JSONValue, path: String) throws -> [String: String] {
        switch value {
        case .null:
            return [:]
        case .object(let members):
            var result: [String: String] = [:]
            for (key, member) in members {
                guard case .string(let text) = member else {
                    throw SafeTensorsError.invalidMetadata(path: path, reason: "value of '\(key)' is \(member.typeName)")
                }
                result[key] = text
            }
            return result
        default:
            throw SafeTensorsError.invalidMetadata(path: path, reason: "found \(value.typeName)")
        }
    }

    static func tensorInfo(name: String, entry: JSONValue, dataSize: Int, path: String) throws -> TensorInfo {
        func invalid(_ reason: String) -> SafeTensorsError { .invalidEntry(path: path, tensor: name, reason: reason) }
        guard case .object(let fields) = entry else { throw invalid("entry must be an object, found \(entry.typeName)") }
        guard let dtypeValue = fields["dtype"] else { throw invalid("missing \"dtype\"") }
        guard let shapeValue = fields["shape"] else { throw invalid("missing \"shape\"") }
        guard let offsetsValue = fields["data_offsets"] else { throw invalid("missing \"data_offsets\"") }
        guard case .string(let dtypeCode) = dtypeValue else { throw invalid("\"dtype\" must be a string, found \(dtypeValue.typeName)") }
        guard case .array(let shapeValues) = shapeValue else { throw invalid("\"shape\" must be an array, found \(shapeValue.typeName)") }
        guard case .array(let offsetValues) = offsetsValue else {
            throw invalid("\"data_offsets\" must be an array, found \(offsetsValue.typeName)")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeCode) else {
            throw SafeTensorsError.unknownDType(path: path, tensor: name, dtype: dtypeCode)
        }

        var shape: [Int] = []
        var elements = 1
        for (axis, value) in shapeValues.enumerated() {
            guard case .integer(let size) = value else {
                throw SafeTensorsError.invalidShape(path: path, tensor: name, reason: "dimension \(axis) is \(value.typeName), expected an integer")
            }
            guard size >= 0 else {
                throw SafeTensorsError.invalidShape(path: path, tensor: name, reason: "dimension \(axis) is negative (\(size))")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            if overflow {
                throw SafeTensorsError.invalidShape(path: path, tensor: name, reason: "the element count of \(shapeValues.count)-d shape overflows")
            }
            elements = product
            shape.append(size)
        }
        let (expectedBytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        if overflow {
            throw SafeTensorsError.invalidShape(path: path, tensor: name, reason: "the byte count of shape \(shape) overflows")
        }

        guard offsetValues.count == 2, case .integer(let begin) = offsetValues[0], case .integer(let end) = offsetValues[1] else {
            throw SafeTensorsError.invalidOffsets(path: path, tensor: name, reason: "expected [begin, end] as two integers")
        }
        guard begin >= 0, begin <= end else {
            throw SafeTensorsError.invalidOffsets(path: path, tensor: name, reason: "[\(begin), \(end)] needs 0 <= begin <= end")
        }
        guard end <= dataSize else {
            throw SafeTensorsError.dataBeyondFile(path: path, tensor: name, end: end, dataSize: dataSize)
        }
        guard end - begin == expectedBytes else {
            throw SafeTensorsError.byteCountMismatch(
                path: path, tensor: name, dtype: dtype.rawValue, shape: shape, expected: expectedBytes, actual: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// Empty tensors occupy no bytes and may share an offset; any two non-empty ranges must be disjoint.
    static func checkNoOverlap(_ infos: Dictionary<String, TensorInfo>.Values, path: String) throws {
        let ranges = infos.filter { !$0.dataOffsets.isEmpty }
            .sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where a.dataOffsets.overlaps(b.dataOffsets) {
            throw SafeTensorsError.overlappingTensors(
                path: path, first: a.name, firstRange: a.dataOffsets, second: b.name, secondRange: b.dataOffsets)
        }
    }
}
