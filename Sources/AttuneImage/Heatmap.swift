// Attention maps as pictures: a perceptual colormap (matplotlib's "inferno", sampled at 9 stops and
// interpolated) and the heat map blended over the picture it belongs to.

public enum Heatmap {
    /// inferno at 0, 1/8, ..., 1 (matplotlib's _inferno_data).
    static let stops: [(Float, Float, Float)] = [
        (0.001462, 0.000466, 0.013866), (0.087411, 0.044556, 0.224813), (0.258234, 0.038571, 0.406485),
        (0.416331, 0.090203, 0.432943), (0.578304, 0.148039, 0.404411), (0.735683, 0.215906, 0.330245),
        (0.865006, 0.316822, 0.226055), (0.954506, 0.468744, 0.099874), (0.988362, 0.998364, 0.644924),
    ]

    /// The colour of a value in [0, 1] (clamped).
    public static func color(_ v: Float) -> (Float, Float, Float) {
        let x = min(max(v.isNaN ? 0 : v, 0), 1) * Float(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Float(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }

    /// A map (row-major, values in [0, 1]) as an RGB picture of its own size.
    public static func picture(_ values: [Float], width: Int, height: Int) -> Image {
        precondition(values.count == width * height, "Heatmap: \(values.count) values for \(width)x\(height)")
        var pixels = [Float](repeating: 0, count: 3 * values.count)
        for (i, v) in values.enumerated() {
            let c = color(v)
            pixels[i] = c.0
            pixels[values.count + i] = c.1
            pixels[2 * values.count + i] = c.2
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// The map enlarged to the picture's size (nearest, so cells stay visible) and blended over it.
    public static func overlay(_ values: [Float], width: Int, height: Int, on picture: Image, opacity: Float = 0.6) -> Image {
        let heat = Heatmap.picture(values, width: width, height: height).resizedNearest(width: picture.width, height: picture.height)
        let base = picture.channels == 3 ? picture : Image(width: picture.width, height: picture.height, channels: 3,
                                                           pixels: picture.pixels + picture.pixels + picture.pixels)
        let mixed = zip(base.pixels, heat.pixels).map { $0 * (1 - opacity) + $1 * opacity }
        return Image(width: picture.width, height: picture.height, channels: 3, pixels: mixed)
    }
}
