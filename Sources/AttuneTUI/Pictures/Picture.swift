// An 8-bit RGB picture as the workbench shows it: sources, latent previews, results, heat maps, masks.
// Local to the TUI; the engine and PNG code convert to it at the boundary (see PictureIO).
import Foundation

public struct Picture: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major RGB triples, `width * height * 3` bytes.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "Picture: \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture of one colour.
    public init(width: Int, height: Int, color: RGB) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = color.r
            pixels[i + 1] = color.g
            pixels[i + 2] = color.b
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = (y * width + x) * 3
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }

    /// Resampled to `width`×`height`: each target pixel averages the source pixels it covers
    /// (area averaging when shrinking, nearest pixel when enlarging).
    public func resized(width newWidth: Int, height newHeight: Int) -> Picture {
        if newWidth == width && newHeight == height { return self }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        for ty in 0..<newHeight {
            let y0 = ty * height / newHeight
            let y1 = max(y0 + 1, (ty + 1) * height / newHeight)
            for tx in 0..<newWidth {
                let x0 = tx * width / newWidth
                let x1 = max(x0 + 1, (tx + 1) * width / newWidth)
                var sum = (0, 0, 0)
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let i = (y * width + x) * 3
                        sum.0 += Int(pixels[i])
                        sum.1 += Int(pixels[i + 1])
                        sum.2 += Int(pixels[i + 2])
                    }
                }
                let n = (y1 - y0) * (x1 - x0)
                let o = (ty * newWidth + tx) * 3
                out[o] = UInt8(sum.0 / n)
                out[o + 1] = UInt8(sum.1 / n)
                out[o + 2] = UInt8(sum.2 / n)
            }
        }
        return Picture(width: newWidth, height: newHeight, pixels: out)
    }
}

public struct RGB: Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `self` moved towards `other` by `amount` (0 keeps self, 1 gives other).
    public func mixed(with other: RGB, amount: Double) -> RGB {
        let t = min(max(amount, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return RGB(mix(r, other.r), mix(g, other.g), mix(b, other.b))
    }
}

/// How the workbench reads and writes pictures; the executable wires this to AttuneImage's PNG code.
public struct PictureIO: Sendable {
    public var load: @Sendable (URL) throws -> Picture
    public var save: @Sendable (Picture, URL) throws -> Void
    public init(load: @escaping @Sendable (URL) throws -> Picture, save: @escaping @Sendable (Picture, URL) throws -> Void) {
        self.load = load
        self.save = save
    }
}
