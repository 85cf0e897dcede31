// The figures of a quality test: per-seed rows and summary lines, printed so every number behind a verdict
// is in the test log, the method's beside plain generation's.
import AttuneImage
import Foundation

/// What the measurers say about one picture's main object.
struct ObjectReading: CustomStringConvertible {
    let mask: PixelMask
    let colour: String?
    let shape: String?

    /// The picture's objects against its own background (estimated from its border).
    init(_ image: Image) { self.init(image, parts: SceneSegmentation.objectComponents(image)) }

    /// What differs from a known background picture.
    init(_ image: Image, against background: Image) {
        self.init(image, parts: SceneSegmentation.componentsDiffering(image, from: background))
    }

    init(_ image: Image, parts: [PixelMask]) {
        mask = parts.reduce(PixelMask(width: image.width, height: image.height), |)
        let main = parts.first ?? mask
        colour = NamedColour.dominant(image, in: main)
        shape = ShapeGeometry.classify(ShapeGeometry.features(main))
    }

    var description: String { "\(colour ?? "-") \(shape ?? "-") (\(mask.area) px)" }
}

enum QualityFigures {
    static func rate(_ hits: Int, _ count: Int) -> Double { count == 0 ? 0 : Double(hits) / Double(count) }

    static func mean(_ values: [Double]) -> Double {
        let finite = values.map { $0.isFinite ? $0 : 99 }  // a perfect match (infinite PSNR) counts as 99 dB
        return finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
    }

    static func percent(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }
    static func decibels(_ x: Double) -> String { x.isFinite ? String(format: "%.1f dB", x) : "inf dB" }
    static func fraction(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Prints a titled block: one line per row, then the summary lines.
    static func report(_ title: String, rows: [String], summary: [String]) {
        print("== \(title)")
        for row in rows { print("   \(row)") }
        for line in summary { print(" > \(line)") }
    }
}
