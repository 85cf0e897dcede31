// A single-channel mask (1 = inside, 0 = outside; soft values allowed), row-major H x W, with the
// operations the editors need: nearest resize to a layer's size (F.interpolate's default), binarisation,
// 3x3 dilation, and the additive key bias that restricts attention to the masked keys.
import AttuneImage
import AttuneTensor
import Foundation

public struct Mask: Equatable, Sendable {
    public let height: Int
    public let width: Int
    public var values: [Float]

    public init(height: Int, width: Int, values: [Float]) {
        precondition(values.count == height * width, "Mask: \(values.count) values for \(height)x\(width)")
        self.height = height
        self.width = width
        self.values = values
    }

    public init(filling value: Float, height: Int, width: Int) {
        self.init(height: height, width: width, values: [Float](repeating: value, count: height * width))
    }

    /// From a [H, W] or [1, 1, H, W] tensor.
    public init(_ t: Tensor) {
        precondition(t.rank == 2 || (t.rank == 4 && t.dim(0) == 1 && t.dim(1) == 1), "Mask: expected [H, W] or [1, 1, H, W], got \(t.shape)")
        self.init(height: t.dim(-2), width: t.dim(-1), values: t.scalars)
    }

    public var tensor: Tensor { Tensor(values, shape: [height, width]) }

    /// Nearest-neighbour resize, as torch's F.interpolate(mode="nearest") (the reference code's choice).
    public func resized(height h: Int, width w: Int) -> Mask {
        Mask(height: h, width: w, values: picture.resizedNearest(width: w, height: h).pixels)
    }

    /// The mask as a one-channel picture.
    public var picture: Image { Image(width: width, height: height, channels: 1, pixels: values) }

    /// 1 where value >= threshold, else 0.
    public func binarized(threshold: Float) -> Mask {
        Mask(height: height, width: width, values: values.map { $0 >= threshold ? 1 : 0 })
    }

    public var inverted: Mask { Mask(height: height, width: width, values: values.map { 1 - $0 }) }

    /// Max over each 3x3 neighbourhood, `iterations` times (cv2.dilate with a 3x3 kernel of ones).
    public func dilated(iterations: Int = 1) -> Mask {
        var v = values
        for _ in 0..<iterations {
            var next = v
            for y in 0..<height {
                for x in 0..<width {
                    var m = v[y * width + x]
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let yy = y + dy, xx = x + dx
                            if yy >= 0 && yy < height && xx >= 0 && xx < width { m = max(m, v[yy * width + xx]) }
                        }
                    }
                    next[y * width + x] = m
                }
            }
            v = next
        }
        return Mask(height: height, width: width, values: v)
    }

    /// Additive attention bias that keeps keys where the mask is 1: 0 there and float32's lowest value
    /// elsewhere (MasaCtrl's `masked_fill(mask == 0, finfo.min)`; a row with no kept key becomes uniform).
    public var keyBias: [Float] { values.map { $0 == 0 ? -Float.greatestFiniteMagnitude : 0 } }

    /// Min-max normalised to [0, 1] (all zeros when constant).
    public var normalized: Mask {
        guard let lo = values.min(), let hi = values.max(), hi > lo else { return Mask(filling: 0, height: height, width: width) }
        return Mask(height: height, width: width, values: values.map { ($0 - lo) / (hi - lo) })
    }

    public var fractionInside: Float { values.reduce(0, +) / Float(max(values.count, 1)) }
}
