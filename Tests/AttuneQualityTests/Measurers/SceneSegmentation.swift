// Object segmentation of a generated scene against its background. Mirrors Tools/microsd/measure.py
// (background_estimate, components, object_components): a per-channel plane a + b·x + c·y fitted by least
// squares to a 4-pixel border ring models a solid or linearly graded background; pixels farther than 60
// (RGB, 0-255) from it are object; connected components smaller than 20% of the largest are dropped.
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
        // Normal equations of the 3-parameter fit, accumulated in Double over the ring.
        var ata = [[Double]](repeating: [0, 0, 0], count: 3)
        var atb = [[Double]](repeating: [0, 0, 0], count: 3)
        for y in 0..<h { for x in 0..<w where x < border || y < border || x >= w - border || y >= h - border {
            let row = [1, Double(x) / Double(w), Double(y) / Double(h)]
            let value = rgb(image, x, y)
            for i in 0..<3 {
                for j in 0..<3 { ata[i][j] += row[i] * row[j] }
                for c in 0..<3 { atb[c][i] += row[i] * Double(value[c]) }
            }
        } }
        let coefficients = (0..<3).map { solve3(ata, atb[$0]) }
        var out = [SIMD3<Float>](repeating: .zero, count: w * h)
        for y in 0..<h { for x in 0..<w {
            let row = [1, Double(x) / Double(w), Double(y) / Double(h)]
            var v = SIMD3<Float>()
            for c in 0..<3 { v[c] = Float(zip(row, coefficients[c]).reduce(0) { $0 + $1.0 * $1.1 }) }
            out[y * w + x] = v
        } }
        return out
    }

    /// Gaussian elimination with partial pivoting for the 3x3 normal equations (always well posed: the ring
    /// spans both axes).
    static func solve3(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = (0..<3).map { a[$0] + [b[$0]] }
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(m[$0][col]) < abs(m[$1][col]) } ?? col
            m.swapAt(col, pivot)
            for row in 0..<3 where row != col {
                let f = m[row][col] / m[col][col]
                for k in col..<4 { m[row][k] -= f * m[col][k] }
            }
        }
        return (0..<3).map { m[$0][3] / m[$0][$0] }
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
        return found.sorted { $0.size > $1.size }.map { c in PixelMask(width: w, height: h, bits: labels.map { $0 == c.label }) }
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
    /// `minComponentFraction` of the largest.
    static func componentsFarFrom(_ image: Image, reference: (Int, Int) -> SIMD3<Float>) -> [PixelMask] {
        var far = PixelMask(width: image.width, height: image.height)
        for y in 0..<image.height { for x in 0..<image.width {
            let d = rgb(image, x, y) - reference(x, y)
            far.bits[y * image.width + x] = (d * d).sum().squareRoot() > objectDistance
        } }
        let parts = components(far)
        guard let largest = parts.first?.area else { return [] }
        return parts.filter { Double($0.area) >= minComponentFraction * Double(largest) }
    }

    /// All object pixels.
    static func objectMask(_ image: Image) -> PixelMask {
        objectComponents(image).reduce(PixelMask(width: image.width, height: image.height), |)
    }
}
