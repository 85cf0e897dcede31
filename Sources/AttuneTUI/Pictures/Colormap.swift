// The heat-map colours for attention maps: a perceptually ordered dark-purple -> orange -> pale-yellow ramp
// (control points sampled from matplotlib's "inferno"), so low and high attention read apart in greyscale too.

public enum Colormap {
    private static let stops: [(Float, RGB)] = [
        (0.00, RGB(0, 0, 4)),
        (0.14, RGB(31, 12, 72)),
        (0.29, RGB(85, 15, 109)),
        (0.43, RGB(136, 34, 106)),
        (0.57, RGB(186, 54, 85)),
        (0.71, RGB(227, 89, 51)),
        (0.86, RGB(249, 140, 10)),
        (1.00, RGB(252, 255, 164)),
    ]

    /// The colour of `value` in 0...1 (clamped; NaN counts as 0).
    public static func heat(_ value: Float) -> RGB {
        let v = value.isNaN ? 0 : min(max(value, 0), 1)
        for i in 1..<stops.count where v <= stops[i].0 {
            let (v0, c0) = stops[i - 1]
            let (v1, c1) = stops[i]
            return c0.mixed(with: c1, amount: Double((v - v0) / (v1 - v0)))
        }
        return stops[stops.count - 1].1
    }

    /// Values rescaled to 0...1 by their minimum and maximum (a constant field becomes all zeros).
    public static func normalized(_ values: [Float]) -> [Float] {
        guard let low = values.min(), let high = values.max(), high > low else { return values.map { _ in 0 } }
        return values.map { ($0 - low) / (high - low) }
    }
}
