// The image type of Attune: float samples in [0, 1], stored planar (channel, row, column), like a CHW tensor.
// Planar storage makes the tensor conversions plain copies and lets resize and crop treat every channel alike.

public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// 3 for RGB, 1 for gray (masks).
    public let channels: Int
    /// Sample (c, x, y) is at `(c * height + y) * width + x`.
    public private(set) var pixels: [Float]

    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        precondition(width >= 0 && height >= 0 && (channels == 1 || channels == 3), "Image: bad size \(width)x\(height)x\(channels)")
        precondition(pixels.count == width * height * channels, "Image: \(pixels.count) samples for \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public init(width: Int, height: Int, channels: Int, filling value: Float) {
        self.init(width: width, height: height, channels: channels, pixels: [Float](repeating: value, count: width * height * channels))
    }

    public subscript(channel: Int, x: Int, y: Int) -> Float {
        get { pixels[index(channel, x, y)] }
        set { pixels[index(channel, x, y)] = newValue }
    }

    private func index(_ channel: Int, _ x: Int, _ y: Int) -> Int {
        precondition(channel >= 0 && channel < channels && x >= 0 && x < width && y >= 0 && y < height,
                     "Image: sample (\(channel), \(x), \(y)) outside \(width)x\(height)x\(channels)")
        return (channel * height + y) * width + x
    }

    /// The `width` x `height` region whose top-left corner is (x, y).
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> Image {
        precondition(x >= 0 && y >= 0 && width >= 0 && height >= 0 && x + width <= self.width && y + height <= self.height,
                     "Image: crop \(width)x\(height) at (\(x), \(y)) outside \(self.width)x\(self.height)")
        var out = [Float]()
        out.reserveCapacity(width * height * channels)
        for c in 0..<channels {
            for row in y..<(y + height) {
                let start = (c * self.height + row) * self.width + x
                out += pixels[start..<(start + width)]
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// The central `width` x `height` region; an odd margin leaves the extra pixel on the right / bottom.
    public func centerCropped(width: Int, height: Int) -> Image {
        cropped(x: (self.width - width) / 2, y: (self.height - height) / 2, width: width, height: height)
    }

    /// One gray channel from RGB with ITU-R 601-2 luma weights, as PIL's convert("L") (used for masks);
    /// a gray image is returned as is.
    public func grayscale() -> Image {
        if channels == 1 { return self }
        let n = width * height
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            out[i] = 0.299 * pixels[i] + 0.587 * pixels[n + i] + 0.114 * pixels[2 * n + i]
        }
        return Image(width: width, height: height, channels: 1, pixels: out)
    }
}
