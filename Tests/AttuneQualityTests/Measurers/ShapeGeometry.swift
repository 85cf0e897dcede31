// Shape by geometry: extent (area / bounding box), solidity (area / convex-hull area), hole fraction, the number
// of lobes of the outline (peaks of the radius around the centroid: a star has 5, a cross 4 or 8, a square 4, a
// triangle or a heart 3, a circle none) and where the mass sits between the box's top and bottom (a triangle
// stands on its base, a heart hangs from its lobes). Lobes and mass survive the soft edges of VAE-decoded
// pictures where extent and solidity alone do not (MeasurerTests checks both clean and decoded scenes).
// Mirrors Tools/microsd/measure.py (shape_features, lobes, classify_shape).
import AttuneImage
import Foundation

struct ShapeFeatures: CustomStringConvertible {
    let extent: Double
    let solidity: Double
    let holes: Double
    let lobes: Int
    /// The centroid's height in the bounding box: 0 at its top, 1 at its bottom.
    let mass: Double

    var description: String {
        String(format: "extent %.2f solidity %.2f holes %.2f lobes %d mass %.2f", extent, solidity, holes, lobes, mass)
    }
}

enum ShapeGeometry {
    /// The features of `mask`; nil below 16 pixels (too small to judge).
    static func features(_ mask: PixelMask) -> ShapeFeatures? {
        let area = mask.area
        guard area >= 16, let box = boundingBox(mask) else { return nil }
        let boxArea = (box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1)
        var cx = 0.0, cy = 0.0
        for y in 0..<mask.height { for x in 0..<mask.width where mask[x, y] { cx += Double(x); cy += Double(y) } }
        cx /= Double(area)
        cy /= Double(area)
        return ShapeFeatures(extent: Double(area) / Double(boxArea), solidity: Double(area) / convexHullArea(mask),
                             holes: Double(holeArea(mask, box: box)) / Double(area), lobes: lobes(mask, cx: cx, cy: cy),
                             mass: (cy - Double(box.y0)) / Double(max(box.y1 - box.y0, 1)))
    }

    /// Rings have holes; stars five lobes; crosses four (eight when sharp) without filling their box, squares
    /// fill it; of the three-lobed, triangles carry their mass low and hearts high; the rest are circles.
    static func classify(_ f: ShapeFeatures?) -> String? {
        guard let f else { return nil }
        if f.holes > 0.15 { return "ring" }
        if f.extent > 0.88 { return "square" }
        if f.lobes == 5 { return "star" }
        if f.lobes >= 4 { return f.extent > 0.8 ? "square" : "cross" }  // a sharp cross shows both corners of each arm: 8
        if f.lobes == 3 || f.extent < 0.7 { return f.mass > 0.55 ? "triangle" : "heart" }
        return "circle"
    }

    /// Peaks of the outline's distance from the centroid over 72 directions (smoothed over 15 degrees), each
    /// standing out by at least 12% of the largest distance from the lowest point within 35 degrees of it.
    static func lobes(_ mask: PixelMask, cx: Double, cy: Double) -> Int {
        let bins = 72
        var radius = [Double](repeating: 0, count: bins)
        for y in 0..<mask.height { for x in 0..<mask.width where mask[x, y] {
            let dx = Double(x) - cx, dy = Double(y) - cy
            let bin = Int(((atan2(dy, dx) + .pi) / (2 * .pi) * Double(bins)).rounded(.down)) % bins
            radius[bin] = max(radius[bin], (dx * dx + dy * dy).squareRoot())
        } }
        // Directions no pixel fell in (small shapes) take their neighbours' value.
        for i in 0..<bins where radius[i] == 0 { radius[i] = max(radius[(i + bins - 1) % bins], radius[(i + 1) % bins]) }
        let smooth = (0..<bins).map { i in (-1...1).reduce(0.0) { $0 + radius[(i + $1 + bins) % bins] } / 3 }
        let top = smooth.max() ?? 0
        var count = 0
        for i in 0..<bins {
            let around = (1...7).flatMap { [smooth[(i + $0) % bins], smooth[(i - $0 + bins) % bins]] }
            let isPeak = (1...3).allSatisfy { smooth[i] > smooth[(i - $0 + bins) % bins] && smooth[i] >= smooth[(i + $0) % bins] }
            if isPeak && smooth[i] - (around.min() ?? 0) >= 0.12 * top { count += 1 }
        }
        return count
    }

    /// The shape of the image's largest object.
    static func objectShape(_ image: Image) -> String? {
        SceneSegmentation.objectComponents(image).first.flatMap { classify(features($0)) }
    }

    static func boundingBox(_ mask: PixelMask) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        for y in 0..<mask.height { for x in 0..<mask.width where mask[x, y] {
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
        } }
        return x1 < 0 ? nil : (x0, y0, x1, y1)
    }

    /// Area of the convex hull of the mask's pixel squares (the corners of each row's outermost pixels),
    /// by Andrew's monotone chain and the shoelace formula.
    static func convexHullArea(_ mask: PixelMask) -> Double {
        var points: [SIMD2<Int>] = []
        for y in 0..<mask.height {
            guard let first = (0..<mask.width).first(where: { mask[$0, y] }),
                  let last = (0..<mask.width).last(where: { mask[$0, y] }) else { continue }
            points += [[first, y], [first, y + 1], [last + 1, y], [last + 1, y + 1]]
        }
        let sorted = Array(Set(points)).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count >= 3 else { return 0 }
        func cross(_ o: SIMD2<Int>, _ a: SIMD2<Int>, _ b: SIMD2<Int>) -> Int { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
        func chain(_ pts: [SIMD2<Int>]) -> [SIMD2<Int>] {
            var out: [SIMD2<Int>] = []
            for p in pts {
                while out.count >= 2 && cross(out[out.count - 2], out[out.count - 1], p) <= 0 { out.removeLast() }
                out.append(p)
            }
            return out
        }
        let hull = Array(chain(sorted).dropLast()) + Array(chain(sorted.reversed()).dropLast())
        var twice = 0
        for i in 0..<hull.count {
            let a = hull[i], b = hull[(i + hull.count - 1) % hull.count]
            twice += a.x * b.y - b.x * a.y
        }
        return Double(abs(twice)) / 2
    }

    /// Pixels inside the bounding box that are not in the mask and cannot reach the box's edge.
    static func holeArea(_ mask: PixelMask, box: (x0: Int, y0: Int, x1: Int, y1: Int)) -> Int {
        // The box padded by one pixel of background, flood-filled from its corner.
        let w = box.x1 - box.x0 + 3, h = box.y1 - box.y0 + 3
        var free = [Bool](repeating: true, count: w * h)
        for y in box.y0...box.y1 { for x in box.x0...box.x1 where mask[x, y] { free[(y - box.y0 + 1) * w + (x - box.x0 + 1)] = false } }
        var reached = [Bool](repeating: false, count: w * h)
        reached[0] = true
        var stack = [0]
        while let p = stack.popLast() {
            let x = p % w, y = p / w
            for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)] where nx >= 0 && nx < w && ny >= 0 && ny < h {
                let q = ny * w + nx
                if free[q] && !reached[q] { reached[q] = true; stack.append(q) }
            }
        }
        return zip(free, reached).reduce(0) { $0 + ($1.0 && !$1.1 ? 1 : 0) }
    }
}
