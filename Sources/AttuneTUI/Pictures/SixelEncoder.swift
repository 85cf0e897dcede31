// Picture -> DEC sixel bytes (ESC P q … ESC \) through libsixel, as in tui.md §1.8: a 256-colour palette
// chosen per picture, no error diffusion (dithering shimmers between preview frames), fast encode policy.
import CSixel
import Foundation

public struct SixelError: Error, LocalizedError, Equatable {
    public let call: String
    public let status: Int32
    public var errorDescription: String? { "libsixel \(call) failed with status 0x\(String(status, radix: 16))" }
}

public enum SixelEncoder {
    /// Collects libsixel's output; passed to its C callback through an opaque pointer.
    private final class ByteSink {
        var bytes: [UInt8] = []
    }

    public static func encode(_ picture: Picture, colors: Int32 = 256) throws -> [UInt8] {
        let sink = ByteSink()
        let context = Unmanaged.passRetained(sink).toOpaque()
        defer { Unmanaged<ByteSink>.fromOpaque(context).release() }
        let write: sixel_write_function = { data, size, context in
            guard let data, let context, size > 0 else { return 0 }
            let sink = Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: Int(size)) {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(size)))
            }
            return size
        }
        var output: OpaquePointer?
        try check("sixel_output_new", sixel_output_new(&output, write, context, nil))
        defer { sixel_output_unref(output) }
        sixel_output_set_encode_policy(output, Int32(SIXEL_ENCODEPOLICY_FAST))

        var dither: OpaquePointer?
        try check("sixel_dither_new", sixel_dither_new(&dither, colors, nil))
        defer { sixel_dither_unref(dither) }

        var pixels = picture.pixels
        try pixels.withUnsafeMutableBufferPointer { buffer in
            try check(
                "sixel_dither_initialize",
                sixel_dither_initialize(
                    dither, buffer.baseAddress, Int32(picture.width), Int32(picture.height),
                    Int32(SIXEL_PIXELFORMAT_RGB888), Int32(SIXEL_LARGE_AUTO), Int32(SIXEL_REP_AUTO),
                    Int32(SIXEL_QUALITY_HIGH)))
            sixel_dither_set_diffusion_type(dither, Int32(SIXEL_DIFFUSE_NONE))
            try check(
                "sixel_encode",
                sixel_encode(buffer.baseAddress, Int32(picture.width), Int32(picture.height), 3, dither, output))
        }
        return sink.bytes
    }

    private static func check(_ call: String, _ status: SIXELSTATUS) throws {
        // SIXEL_FAILED(status) is a function-like macro, so Swift cannot import it.
        if status & 0x1000 != 0 { throw SixelError(call: call, status: status) }
    }
}
