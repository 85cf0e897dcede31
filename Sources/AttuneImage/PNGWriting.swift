// Writing 8-bit RGB and gray PNGs through libpng's simplified API (errors come back as values, no longjmp),
// atomically: the file is encoded in memory, then written beside the target and renamed over it.
import AttuneTensor
import CPNG
import Foundation

extension PNGFile {
    /// Writes a 3-channel image as 8-bit RGB or a 1-channel image as 8-bit gray; samples are clamped to [0, 1] and
    /// rounded to the nearest of 256 levels, as diffusers' numpy_to_pil does.
    public static func write(_ image: Image, to url: URL) throws {
        let data = try encode(image, path: url.path)
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as FileWriteError {
            throw ImageError.cannotWrite(path: url.path, reason: error.reason)
        }
    }

    /// The PNG bytes of `image`; `path` only names the destination in errors.
    public static func encode(_ image: Image, path: String) throws -> Data {
        let (n, channels) = (image.width * image.height, image.channels)
        var interleaved = [UInt8](repeating: 0, count: n * channels)
        image.pixels.withUnsafeBufferPointer { planes in
            for c in 0..<channels {
                for i in 0..<n { interleaved[i * channels + c] = UInt8(Image.clamped(planes[c * n + i]) * 255 + 0.5) }
            }
        }
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        png.format = channels == 3 ? png_uint_32(PNG_FORMAT_RGB) : png_uint_32(PNG_FORMAT_GRAY)
        func failure() -> ImageError {
            let message = withUnsafeBytes(of: png.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return ImageError.cannotWrite(path: path, reason: "libpng: \(message)")
        }
        // The first call measures the encoded size, the second encodes.
        var size = 0
        guard png_image_write_to_memory(&png, nil, &size, 0, interleaved, 0, nil) != 0 else { throw failure() }
        var data = Data(count: size)
        let written = data.withUnsafeMutableBytes { buffer in
            png_image_write_to_memory(&png, buffer.baseAddress, &size, 0, interleaved, 0, nil)
        }
        guard written != 0 else { throw failure() }
        return data.prefix(size)
    }
}
