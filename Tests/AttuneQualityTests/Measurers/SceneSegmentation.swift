// Object segmentation of a generated scene against its background. Mirrors Tools/microsd/measure.py
// (background_estimate, components, object_components): a per-channel plane a + b·x + c·y fitted by least
// squares to a 4-pixel border ring models a solid or linearly graded background; pixels farther than 60
// (RGB, 0-255) from it are object; connected components smaller than 20% of the largest are dropped. Unlike
// measure.py, each component is then re-cut at half its contrast (see `halfContrast`), which keeps shapes
// right on the soft edges of VAE-decoded pictures.
import AttuneImage

/// A binary mask over an image's pixels, row-major.
struct PixelMask: Equatable {
    let width: Int
    let height: Int
    var bits: [Bool]

    init(width: Int, height: Int, bits: [Bool]) {
        precondition(bits.count == width * height, "PixelMask: \(bits.count) bits for \(width)x\(height)")
        self.width = width
        self.height = height
        self.bits = bits
    }

    init(width: Int, height: Int) { self.init(width: width, height: height, bits: Array(repeating: false, count: width * height)) }

    subscript(x: Int, y: Int) -> Bool { bits[y * width + x] }
    var area: Int { bits.reduce(0) { $0 + ($1 ? 1 : 0) } }
    static func | (a: PixelMask, b: PixelMask) -> PixelMask { PixelMask(width: a.width, height: a.height, bits: zip(a.bits, b.bits).map { $0 || $1 }) }
    static prefix func ! (a: PixelMask) -> PixelMask { PixelMask(width: a.width, height: a.height, bits: a.bits.map { !$0 }) }

    /// Grown by `steps` 4-neighbour dilations.
    func dilated(_ steps: Int) -> PixelMask {
        var out = self
        for _ in 0..<steps {
            let last = out
            for y in 0..<height { for x in 0..<width where !last[x, y] {
                if (x > 0 && last[x - 1, y]) || (x + 1 < width && last[x + 1, y]) || (y > 0 && last[x, y - 1]) || (y + 1 < height && last[x, y + 1]) {
                    out.bits[y * width + x] = true
                }
            } }
        }
        return out
    }
}

enum SceneSegmentation {
    static let border = 4
    static let objectDistance: Float = 60
    static let minComponentFraction = 0.2

    /// RGB of pixel (x, y) on the 0-255 scale.
    static func rgb(_ image: Image, _ x: Int, _ y: Int) -> SIMD3<Float> {
        SIMD3(image[0, x, y], image[1, x, y], image[2, x, y]) * 255
    }

    /// The background plane's colour at every pixel (0-255), row-major.
    static func backgroundEstimate(_ image: Image) -> [SIMD3<Float>] {
        let w = image.width, h = image.height
        // Normal equations AᵀA c = Aᵀb of the fit, rows (1, x/w, y/h), accumulated in Double over the ring.
        var ata = [Double](repeating: 0, count: 9)
        var atb = [SIMD3<Double>](repeating: .zero, count: 3)
        for y in 0..<h { for x in 0..<w where x < border || y < border || x >= w - border || y >= h - border {
            let row = SIMD3<Double>(1, Double(x) / Double(w), Double(y) / Double(h))
            let value = SIMD3<Double>(rgb(image, x, y))
            for i in 0..<3 {
                for j in 0..<3 { ata[i * 3 + j] += row[i] * row[j] }
                atb[i] += row[i] * value
            }
        } }
        let c = solve3(ata, atb)  // c[k]: the RGB coefficient of row term k
        var out = [SIMD3<Float>](repeating: .zero, count: w * h)
        for y in 0..<h { for x in 0..<w {
            out[y * w + x] = SIMD3<Float>(c[0] + c[1] * (Double(x) / Double(w)) + c[2] * (Double(y) / Double(h)))
        } }
        return out
    }

    /// Gauss-Jordan elimination with partial pivoting of the 3x3 system `a` (row-major) for three right-hand
    /// sides at once (always well posed: the ring spans both axes).
    static func solve3(_ a: [Double], _ b: [SIMD3<Double>]) -> [SIMD3<Double>] {
        var m = a, r = b
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(m[$0 * 3 + col]) < abs(m[$1 * 3 + col]) } ?? col
            if pivot != col {
                for k in 0..<3 { m.swapAt(col * 3 + k, pivot * 3 + k) }
                r.swapAt(col, pivot)
            }
            for row in 0..<3 where row != col {
                let f = m[row * 3 + col] / m[col * 3 + col]
                for k in 0..<3 { m[row * 3 + k] -= f * m[col * 3 + k] }
                r[row] -= f * r[col]
            }
        }
        return (0..<3).map { r[$0] / m[$0 * 3 + $0] }
    }

    /// Connected components (4-neighbour) of `mask`, largest first.
    static func components(_ mask: PixelMask) -> [PixelMask] {
        let w = mask.width, h = mask.height
        var labels = [Int](repeating: 0, count: w * h)
        var found: [(size: Int, label: Int)] = []
        for start in 0..<(w * h) where mask.bits[start] && labels[start] == 0 {
            let label = found.count + 1
            labels[start] = label
            var stack = [start], size = 0
            while let p = stack.popLast() {
                size += 1
                let x = p % w, y = p / w
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)] where nx >= 0 && nx < w && ny >= 0 && ny < h {
                    let q = ny * w + nx
                    if mask.bits[q] && labels[q] == 0 { labels[q] = label; stack.append(q) }
                }
            }
            found.append((size, label))
        }
        var masks = found.map { _ in PixelMask(width: w, height: h) }
        for (p, label) in labels.enumerated() where label > 0 { masks[label - 1].bits[p] = true }
        return found.sorted { $0.size > $1.size }.map { masks[$0.label - 1] }
    }

    /// The objects' components, largest first.
    static func objectComponents(_ image: Image) -> [PixelMask] {
        let background = backgroundEstimate(image)
        return componentsFarFrom(image) { x, y in background[y * image.width + x] }
    }

    /// The components of the pixels where `image` differs from a known background picture (MCA-Ctrl's
    /// condition), largest first.
    static func componentsDiffering(_ image: Image, from background: Image) -> [PixelMask] {
        componentsFarFrom(image) { x, y in rgb(background, x, y) }
    }

    /// Components of the pixels farther than `objectDistance` from `reference`, without those smaller than
    /// `minComponentFraction` of the largest; each then re-cut at half its contrast.
    static func componentsFarFrom(_ image: Image, reference: (Int, Int) -> SIMD3<Float>) -> [PixelMask] {
        // Each pixel's difference from the reference (0-255 RGB), row-major.
        var difference = [SIMD3<Float>](repeating: .zero, count: image.width * image.height)
        for y in 0..<image.height { for x in 0..<image.width { difference[y * image.width + x] = rgb(image, x, y) - reference(x, y) } }
        let far = PixelMask(width: image.width, height: image.height,
                            bits: difference.map { ($0 * $0).sum().squareRoot() > objectDistance })
        let parts = components(far)
        guard let largest = parts.first?.area else { return [] }
        return parts.filter { Double($0.area) >= minComponentFraction * Double(largest) }
            .map { halfContrast($0, difference: difference) }
    }

    /// A soft (VAE-decoded) edge runs through a fixed distance threshold at a place that depends on the object's
    /// contrast; the true edge of a blurred step lies at half the step. So the component is cut again where a
    /// pixel has come half the way from the background to the object's core colour (the mean of its pixels
    /// farthest from the background), searching within 3 pixels of the first cut.
    static func halfContrast(_ part: PixelMask, difference: [SIMD3<Float>]) -> PixelMask {
        let inside = part.bits.indices.filter { part.bits[$0] }
        let distances = inside.map { (difference[$0] * difference[$0]).sum().squareRoot() }
        let top = distances.max() ?? 0
        let core = zip(inside, distances).filter { $0.1 >= 0.75 * top }.map { difference[$0.0] }
        let contrast = core.reduce(SIMD3<Float>(), +) / Float(max(core.count, 1))
        let norm = (contrast * contrast).sum()
        guard norm > 0 else { return part }
        var cut = PixelMask(width: part.width, height: part.height)
        for (p, near) in part.dilated(3).bits.enumerated() where near {
            cut.bits[p] = (difference[p] * contrast).sum() / norm > 0.5
        }
        return components(cut).first ?? part
    }

    /// All object pixels.
    static func objectMask(_ image: Image) -> PixelMask {
        objectComponents(image).reduce(PixelMask(width: image.width, height: image.height), |)
    }
}
