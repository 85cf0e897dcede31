// libsixel's decoder for tests: a sixel DCS string back to a picture, and the sixel strings in a stream of
// terminal output with the cell where each was drawn.
@testable import AttuneTUI
import CSixel
import Testing

enum SixelDecoding {
    /// Indexed pixels and an RGB palette from `sixel_decode_raw`, expanded to a picture.
    static func decode(_ bytes: [UInt8]) throws -> Picture {
        var allocator: OpaquePointer?
        try #require(sixel_allocator_new(&allocator, nil, nil, nil, nil) == SIXEL_OK)
        defer { sixel_allocator_unref(allocator) }
        var input = bytes
        var pixels: UnsafeMutablePointer<UInt8>?
        var palette: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, colors: Int32 = 0
        let status = sixel_decode_raw(&input, Int32(input.count), &pixels, &width, &height, &palette, &colors, allocator)
        try #require(status == SIXEL_OK, "sixel_decode_raw status \(status)")
        defer {
            sixel_allocator_free(allocator, pixels)
            sixel_allocator_free(allocator, palette)
        }
        let indices = try #require(pixels), table = try #require(palette)
        var out = Picture(width: Int(width), height: Int(height), color: RGB(0, 0, 0))
        for y in 0..<Int(height) {
            for x in 0..<Int(width) {
                let i = Int(indices[y * Int(width) + x])
                out[x, y] = RGB(table[i * 3], table[i * 3 + 1], table[i * 3 + 2])
            }
        }
        return out
    }

    /// Every sixel string ImageLayer wrote (DECSC, CUP row;column, DCS … ST) with its 0-based cell.
    static func placedSixels(in output: [UInt8]) -> [(column: Int, row: Int, bytes: [UInt8])] {
        var found: [(Int, Int, [UInt8])] = []
        var i = 0
        while let start = find([0x1B, UInt8(ascii: "7"), 0x1B, UInt8(ascii: "[")], in: output, from: i) {
            var j = start + 4
            while j < output.count, (0x30...0x3B).contains(output[j]) { j += 1 }
            i = j
            guard j + 2 < output.count, output[j] == UInt8(ascii: "H"), output[j + 1] == 0x1B, output[j + 2] == UInt8(ascii: "P"),
                let end = find([0x1B, UInt8(ascii: "\\")], in: output, from: j + 3)
            else { continue }
            let numbers = String(decoding: output[(start + 4)..<j], as: UTF8.self).split(separator: ";").compactMap { Int($0) }
            guard numbers.count == 2 else { continue }
            found.append((numbers[1] - 1, numbers[0] - 1, Array(output[(j + 1)..<(end + 2)])))
            i = end + 2
        }
        return found
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
