// The edit mask as the mask editor paints it: one value in 0...1 per latent pixel (image size / 8),
// with the brush, fill/invert/clear, feathering (repeated box blur, close to a Gaussian) and conversions.

public struct MaskGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var values: [Float]

    public init(width: Int, height: Int, value: Float = 0) {
        precondition(width > 0 && height > 0, "MaskGrid needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
        values = [Float](repeating: value, count: width * height)
    }

    public subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = min(max(newValue, 0), 1) }
    }

    /// True when nothing is masked.
    public var isEmpty: Bool { values.allSatisfy { $0 == 0 } }

    /// The masked share of the grid, 0...1.
    public var coverage: Double { Double(values.reduce(0, +)) / Double(values.count) }

    /// A hard round brush dab: cells whose centres lie within `radius` of (x, y) (grid units) get `value`.
    public mutating func stamp(x: Double, y: Double, radius: Double, value: Float) {
        let r = max(radius, 0.5)
        let x0 = max(0, Int((x - r).rounded(.down))), x1 = min(width - 1, Int((x + r).rounded(.up)))
        let y0 = max(0, Int((y - r).rounded(.down))), y1 = min(height - 1, Int((y + r).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for cy in y0...y1 {
            for cx in x0...x1 {
                let dx = Double(cx) + 0.5 - x, dy = Double(cy) + 0.5 - y
                if dx * dx + dy * dy <= r * r { self[cx, cy] = value }
            }
        }
    }

    /// Dabs along the segment so fast mouse drags leave no gaps.
    public mutating func stroke(from start: (x: Double, y: Double), to end: (x: Double, y: Double), radius: Double, value: Float) {
        let length = ((end.x - start.x) * (end.x - start.x) + (end.y - start.y) * (end.y - start.y)).squareRoot()
        let count = max(1, Int((length / max(radius * 0.5, 0.5)).rounded(.up)))
        for i in 0...count {
            let t = Double(i) / Double(count)
            stamp(x: start.x + (end.x - start.x) * t, y: start.y + (end.y - start.y) * t, radius: radius, value: value)
        }
    }

    public mutating func fill() { values = values.map { _ in 1 } }
    public mutating func clear() { values = values.map { _ in 0 } }
    public mutating func invert() { values = values.map { 1 - $0 } }

    /// Soft edges: three box blurs of `radius` in each direction (approximately a Gaussian of σ ≈ radius).
    public func feathered(radius: Int) -> MaskGrid {
        guard radius > 0 else { return self }
        var out = self
        for _ in 0..<3 {
            out.values = Self.boxBlur(out.values, width: width, height: height, radius: radius, horizontal: true)
            out.values = Self.boxBlur(out.values, width: width, height: height, radius: radius, horizontal: false)
        }
        return out
    }

    private static func boxBlur(_ values: [Float], width: Int, height: Int, radius: Int, horizontal: Bool) -> [Float] {
        var out = values
        let (lines, length) = horizontal ? (height, width) : (width, height)
        for line in 0..<lines {
            func index(_ i: Int) -> Int { horizontal ? line * width + i : i * width + line }
            for i in 0..<length {
                let lo = max(0, i - radius), hi = min(length - 1, i + radius)
                var sum: Float = 0
                for j in lo...hi { sum += values[index(j)] }
                out[index(i)] = sum / Float(hi - lo + 1)
            }
        }
        return out
    }

    /// Nearest-neighbour resampling (masks keep hard edges when the image size changes).
    public func resized(width newWidth: Int, height newHeight: Int) -> MaskGrid {
        var out = MaskGrid(width: newWidth, height: newHeight)
        for y in 0..<newHeight {
            for x in 0..<newWidth { out[x, y] = self[x * width / newWidth, y * height / newHeight] }
        }
        return out
    }

    /// Grey picture, white = masked, at `width`×`height` (nearest) for mask files.
    public func picture(width pictureWidth: Int, height pictureHeight: Int) -> Picture {
        var picture = Picture(width: pictureWidth, height: pictureHeight, color: RGB(0, 0, 0))
        for y in 0..<pictureHeight {
            for x in 0..<pictureWidth {
                let v = UInt8((self[x * width / pictureWidth, y * height / pictureHeight] * 255).rounded())
                picture[x, y] = RGB(v, v, v)
            }
        }
        return picture
    }

    /// A mask from a picture's brightness (mask files are white where masked), area-averaged to the grid size.
    public init(picture: Picture, width: Int, height: Int) {
        self.init(width: width, height: height)
        let small = picture.resized(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let c = small[x, y]
                self[x, y] = (Float(c.r) + Float(c.g) + Float(c.b)) / (3 * 255)
            }
        }
    }

    /// A binary mask where the min-max-normalised field (e.g. a token's cross-attention) reaches `threshold`.
    public init(field: [Float], fieldWidth: Int, fieldHeight: Int, threshold: Double, width: Int, height: Int) {
        self.init(width: width, height: height)
        let normalized = Colormap.normalized(field)
        for y in 0..<height {
            for x in 0..<width {
                let v = normalized[(y * fieldHeight / height) * fieldWidth + x * fieldWidth / width]
                self[x, y] = Double(v) >= threshold ? 1 : 0
            }
        }
    }
}
