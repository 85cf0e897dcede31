// Shape by geometry: extent (area / bounding box), solidity (area / convex-hull area) and hole fraction of an
// object mask, classified by thresholds midway between the ranges of the generator's true masks. Mirrors
// Tools/microsd/measure.py (convex_hull_area, hole_area, shape_features, classify_shape).
import AttuneImage

struct ShapeFeatures: CustomStringConvertible {
    let extent: Double
    let solidity: Double
    let holes: Double

    var description: String { String(format: "extent %.2f solidity %.2f holes %.2f", extent, solidity, holes) }
}

enum ShapeGeometry {
    /// The features of `mask`; nil below 16 pixels (too small to judge).
    static func features(_ mask: PixelMask) -> ShapeFeatures? {
        let area = mask.area
        guard area >= 16, let box = boundingBox(mask) else { return nil }
        let boxArea = (box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1)
        return ShapeFeatures(extent: Double(area) / Double(boxArea), solidity: Double(area) / convexHullArea(mask),
                             holes: Double(holeArea(mask, box: box)) / Double(area))
    }

    /// Thresholds (measure.py's): ring holes 0.44-0.50 of the area; star solidity 0.52-0.59; cross 0.71-0.77;
    /// heart extent 0.60-0.65; triangle 0.50-0.53; circle 0.76-0.82; square 1.
    static func classify(_ f: ShapeFeatures?) -> String? {
        guard let f else { return nil }
        if f.holes > 0.2 { return "ring" }
        if f.solidity < 0.65 { return "star" }
        if f.solidity < 0.82 { return "cross" }
        if f.extent > 0.9 { return "square" }
        if f.extent < 0.565 { return "triangle" }
        if f.extent < 0.705 { return "heart" }
        return "circle"
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
