// Reading PNG files into float RGB images, through libpng's classic API wrapped by the CPNGReader C target.
// Samples are taken as stored, the way PIL and OpenCV read them (and so what Stable Diffusion was trained on):
// gAMA / sRGB / iCCP colour information is not applied. 16-bit files keep their precision (sample / 65535).
import CPNGReader
import Foundation

/// What to do with transparency when reading.
public enum AlphaHandling: Sendable {
    /// Blend the colour onto a white background (out = colour * alpha + 1 - alpha); no alpha is returned.
    case compositeOnWhite
    /// Keep the colour as stored and return alpha as a separate gray image.
    case separate
}

/// A decoded PNG: RGB samples in [0, 1], and the alpha mask when it was asked for and the file has one.
public struct LoadedImage: Equatable, Sendable {
    public let image: Image
    /// 1-channel alpha in [0, 1]; nil with `.compositeOnWhite` or when the file has neither an alpha channel nor tRNS.
    public let alpha: Image?
    /// Bits per sample in the file (1, 2, 4, 8 or 16).
    public let fileBitDepth: Int
}

public enum PNGFile {
    /// Images above this many pixels (8192 x 8192) are refused rather than allocated.
    public static let maximumPixelCount = 1 << 26

    public static func read(_ url: URL, alpha: AlphaHandling = .compositeOnWhite) throws -> LoadedImage {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError.cannotRead(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw ImageError.cannotRead(path: path, reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImageError.cannotRead(path: path, reason: error.localizedDescription)
        }
        return try decode(data, path: path, alpha: alpha)
    }

    /// Decodes PNG bytes; `path` only names the source in errors.
    public static func decode(_ data: Data, path: String, alpha: AlphaHandling = .compositeOnWhite) throws -> LoadedImage {
        var info = attune_png_info()
        var samples: UnsafeMutableRawPointer?
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { bytes in
            attune_png_decode(
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, UInt64(maximumPixelCount),
                &info, &samples, &message, message.count)
        }
        defer { free(samples) }
        let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case ATTUNE_PNG_OK:
            break
        case ATTUNE_PNG_NOT_PNG:
            throw ImageError.notPNG(path: path, detail: data.isEmpty ? "the file is empty" : "it does not start with the PNG signature")
        case ATTUNE_PNG_TRUNCATED:
            throw ImageError.truncated(path: path, detail: reason.isEmpty ? "the file ends inside the PNG signature" : reason)
        case ATTUNE_PNG_TOO_LARGE:
            throw ImageError.unsupported(path: path, detail: reason)
        case ATTUNE_PNG_OUT_OF_MEMORY:
            throw ImageError.unsupported(path: path, detail: "out of memory: \(reason)")
        default:
            throw ImageError.corrupt(path: path, detail: reason)
        }
        guard let samples else { throw ImageError.corrupt(path: path, detail: "the decoder returned no pixels") }
        let (width, height) = (Int(info.width), Int(info.height))
        let hasAlpha = info.has_alpha != 0
        if info.bit_depth == 16 {
            return planes(samples.assumingMemoryBound(to: UInt16.self), width: width, height: height, maxValue: 65535,
                          hasAlpha: hasAlpha, alpha: alpha, fileBitDepth: Int(info.file_bit_depth))
        }
        return planes(samples.assumingMemoryBound(to: UInt8.self), width: width, height: height, maxValue: 255,
                      hasAlpha: hasAlpha, alpha: alpha, fileBitDepth: Int(info.file_bit_depth))
    }

    /// Interleaved RGBA integer samples to planar floats, compositing or splitting off alpha.
    static func planes<Sample: BinaryInteger>(
        _ rgba: UnsafePointer<Sample>, width: Int, height: Int, maxValue: Float,
        hasAlpha: Bool, alpha handling: AlphaHandling, fileBitDepth: Int
    ) -> LoadedImage {
        let n = width * height
        var rgb = [Float](repeating: 0, count: 3 * n)
        var alpha = [Float](repeating: 1, count: hasAlpha && handling == .separate ? n : 0)
        for i in 0..<n {
            // Division, not multiplication by 1 / maxValue: k / 255 is then exactly the nearest Float.
            let a = Float(rgba[4 * i + 3]) / maxValue
            for c in 0..<3 {
                let value = Float(rgba[4 * i + c]) / maxValue
                rgb[c * n + i] = handling == .compositeOnWhite ? value * a + (1 - a) : value
            }
            if !alpha.isEmpty { alpha[i] = a }
        }
        return LoadedImage(
            image: Image(width: width, height: height, channels: 3, pixels: rgb),
            alpha: alpha.isEmpty ? nil : Image(width: width, height: height, channels: 1, pixels: alpha),
            fileBitDepth: fileBitDepth)
    }
}
