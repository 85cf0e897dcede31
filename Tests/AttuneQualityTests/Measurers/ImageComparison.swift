// Comparisons of two pictures or masks: intersection over union, and PSNR over the pixels outside a mask.
// Mirrors Tools/microsd/measure.py (iou, psnr_outside).
import AttuneImage
import Foundation

enum ImageComparison {
    /// |a ∧ b| / |a ∨ b|; 1 when both are empty.
    static func iou(_ a: PixelMask, _ b: PixelMask) -> Double {
        var both = 0, either = 0
        for (p, q) in zip(a.bits, b.bits) {
            if p && q { both += 1 }
            if p || q { either += 1 }
        }
        return either == 0 ? 1 : Double(both) / Double(either)
    }

    /// PSNR in dB (peak 255) of two same-size RGB pictures over the pixels where `mask` is false.
    static func psnr(_ a: Image, _ b: Image, outside mask: PixelMask) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.width == mask.width && a.height == mask.height,
                     "psnr: \(a.width)x\(a.height) vs \(b.width)x\(b.height), mask \(mask.width)x\(mask.height)")
        var sum = 0.0, count = 0
        for y in 0..<a.height { for x in 0..<a.width where !mask[x, y] {
            let d = SceneSegmentation.rgb(a, x, y) - SceneSegmentation.rgb(b, x, y)
            sum += Double((d * d).sum())
            count += 3
        } }
        return sum == 0 ? .infinity : 10 * log10(255 * 255 / (sum / Double(count)))
    }
}
