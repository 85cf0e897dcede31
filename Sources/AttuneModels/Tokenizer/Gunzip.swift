// Decompresses a .gz file in memory with zlib's inflate (used for OpenAI's bpe_simple_vocab_16e6.txt.gz).
import CZlib

enum Gunzip {
    /// The first `lineCount` lines (with their "\n") of the gzip data `compressed` read from `path`, or all of it
    /// if it has fewer. Inflating stops once the lines are out, so a long file's unused tail costs nothing (and is
    /// not checked). Inflating from memory rather than with gzread lets a damaged file be reported with the offset
    /// where zlib gave up; gzread would also pass a file that is not gzip through unchanged.
    static func lines(_ lineCount: Int, ofCompressed compressed: [UInt8], path: String) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: accept only the gzip wrapper (zlib checks its header, and the CRC when it gets there).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TokenizerError.corruptCompressedFile(path: path, offset: 0, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8]()
        var newlines = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = compressed.withUnsafeBufferPointer { input -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let result = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                for byte in chunk[0..<(chunk.count - Int(stream.avail_out))] {
                    output.append(byte)
                    if byte == UInt8(ascii: "\n") {
                        newlines += 1
                        if newlines == lineCount { return Z_STREAM_END }
                    }
                }
                if result != Z_OK { return result }
            }
        }
        switch status {
        case Z_STREAM_END:
            return output
        case Z_BUF_ERROR:
            throw TokenizerError.corruptCompressedFile(
                path: path, offset: Int(stream.total_in), reason: "the file ends before the compressed data does")
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw TokenizerError.corruptCompressedFile(path: path, offset: Int(stream.total_in), reason: reason)
        }
    }
}
