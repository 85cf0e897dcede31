// Writer for .safetensors files, byte-compatible with safetensors 0.8 (Python `safetensors.torch.save_file`):
// compact JSON header padded with spaces to a multiple of 8, tensors ordered by dtype (as the Rust enum, descending)
// then by name, and the file written atomically.
import Foundation

public enum SafeTensorsWriter {
    /// Writes `tensors` (stored in their own dtype) and `metadata` to `url`, replacing any file there only once
    /// the new one is complete.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        if tensors[SafeTensorsHeader.metadataKey] != nil {
            throw SafeTensorsError.reservedName(path: url.path, tensor: SafeTensorsHeader.metadataKey)
        }
        let ordered = tensors.sorted { a, b in
            let (ra, rb) = (SafeTensorsDType(a.value.dtype).writeRank, SafeTensorsDType(b.value.dtype).writeRank)
            return ra != rb ? ra > rb : a.key < b.key
        }
        var header = Array(headerJSON(ordered, metadata: metadata).utf8)
        // Padding the header to a multiple of 8 keeps the data section 8-byte aligned in the file.
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        let headerLength = UInt64(header.count)

        try AtomicFile.write(to: url) { sink in
            try withUnsafeBytes(of: headerLength.littleEndian) { try sink.write($0) }
            try header.withUnsafeBytes { try sink.write($0) }
            for (_, tensor) in ordered {
                try sink.write(UnsafeRawBufferPointer(start: tensor.storage.raw, count: tensor.count * tensor.dtype.byteSize))
            }
        }
    }

    /// {"__metadata__":{...},"name":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},...} without spaces, as serde_json writes it.
    static func headerJSON(_ ordered: [(key: String, value: Tensor)], metadata: [String: String]) -> String {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }
                .map { JSONQuoting.quoted($0.key) + ":" + JSONQuoting.quoted($0.value) }
            members.append(JSONQuoting.quoted(SafeTensorsHeader.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.count * tensor.dtype.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append(
                JSONQuoting.quoted(name) + ":{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}
