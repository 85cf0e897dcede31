// 3x3 stride-1 convolution by Winograd's minimal filtering F(m x m, 3x3) (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016): an m x m output tile costs (m+2)² multiplies per (input, output) channel
// pair instead of 9m² (F(4x4, 3x3): 36 instead of 144; F(2x2, 3x3): 16 instead of 36). Input tiles, filters and
// output tiles go through small fixed transforms, and the element-wise products over channels become (m+2)²
// sgemm calls [tiles x Cin] x [Cin x Cout].
//
// Data layout: channels innermost (transforms run on 16 channels per vector): each tile row's input rows are
// copied, 16 channels at a time, into a small zero-padded channels-last strip. Tile rows go in bands, which bounds
// the transformed input and output buffers.

/// One of the algorithms: its tile sizes and 1-D transforms on vectors of 16 channels, read and written through
/// float pointers with strides (in floats). The 2-D transforms apply them to rows, then to columns.
protocol WinogradTile {
    /// Output tile side; the input tile side `alpha` is m + 2.
    static var m: Int { get }
    /// Bᵀ: alpha inputs -> alpha outputs.
    static func input(_ d: UnsafePointer<Float>, _ ds: Int, _ o: UnsafeMutablePointer<Float>, _ os: Int)
    /// G: the 3 taps -> alpha outputs.
    static func filter(_ g0: Vec16, _ g1: Vec16, _ g2: Vec16, _ o: UnsafeMutablePointer<Float>, _ os: Int)
    /// Aᵀ: alpha inputs -> m outputs.
    static func output(_ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int)
}

extension WinogradTile {
    static var alpha: Int { m + 2 }
    /// Transformed filters per weight: alpha² x Cout x Cin floats.
    static func filterCount(cout: Int, cin: Int) -> Int { alpha * alpha * cout * cin }
}

/// F(4x4, 3x3), interpolation points 0, ±1, ±2 and ∞.
enum WinogradF4: WinogradTile {
    static let m = 4

    @inline(always)
    static func input(_ d: UnsafePointer<Float>, _ ds: Int, _ o: UnsafeMutablePointer<Float>, _ os: Int) {
        let d0 = Winograd.load(d), d1 = Winograd.load(d + ds), d2 = Winograd.load(d + 2 * ds)
        let d3 = Winograd.load(d + 3 * ds), d4 = Winograd.load(d + 4 * ds), d5 = Winograd.load(d + 5 * ds)
        let a = d3 - 4 * d1, b = d4 - 4 * d2, c = d3 - d1, e = d4 - d2
        Winograd.store(4 * d0 - 5 * d2 + d4, o); Winograd.store(b + a, o + os); Winograd.store(b - a, o + 2 * os)
        Winograd.store(e + 2 * c, o + 3 * os); Winograd.store(e - 2 * c, o + 4 * os); Winograd.store(4 * d1 - 5 * d3 + d5, o + 5 * os)
    }

    @inline(always)
    static func filter(_ g0: Vec16, _ g1: Vec16, _ g2: Vec16, _ o: UnsafeMutablePointer<Float>, _ os: Int) {
        let s = g0 + g2, q = g0 * (1 / 24) + g2 * (1 / 6), h = g1 * (1 / 12)
        Winograd.store(g0 * 0.25, o); Winograd.store((s + g1) * (-1 / 6), o + os); Winograd.store((s - g1) * (-1 / 6), o + 2 * os)
        Winograd.store(q + h, o + 3 * os); Winograd.store(q - h, o + 4 * os); Winograd.store(g2, o + 5 * os)
    }

    @inline(always)
    static func output(_ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int) {
        let m0 = Winograd.load(x), m1 = Winograd.load(x + xs), m2 = Winograd.load(x + 2 * xs)
        let m3 = Winograd.load(x + 3 * xs), m4 = Winograd.load(x + 4 * xs), m5 = Winograd.load(x + 5 * xs)
        let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
        Winograd.store(m0 + s12 + s34, y); Winograd.store(d12 + 2 * d34, y + ys)
        Winograd.store(s12 + 4 * s34, y + 2 * ys); Winograd.store(d12 + 8 * d34 + m5, y + 3 * ys)
    }
}

/// F(2x2, 3x3), interpolation points 0, ±1 and ∞.
enum WinogradF2: WinogradTile {
    static let m = 2

    @inline(always)
    static func input(_ d: UnsafePointer<Float>, _ ds: Int, _ o: UnsafeMutablePointer<Float>, _ os: Int) {
        let d0 = Winograd.load(d), d1 = Winograd.load(d + ds), d2 = Winograd.load(d + 2 * ds), d3 = Winograd.load(d + 3 * ds)
        Winograd.store(d0 - d2, o); Winograd.store(d1 + d2, o + os); Winograd.store(d2 - d1, o + 2 * os); Winograd.store(d1 - d3, o + 3 * os)
    }

    @inline(always)
    static func filter(_ g0: Vec16, _ g1: Vec16, _ g2: Vec16, _ o: UnsafeMutablePointer<Float>, _ os: Int) {
        let s = (g0 + g2) * 0.5, h = g1 * 0.5
        Winograd.store(g0, o); Winograd.store(s + h, o + os); Winograd.store(s - h, o + 2 * os); Winograd.store(g2, o + 3 * os)
    }

    @inline(always)
    static func output(_ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int) {
        let m0 = Winograd.load(x), m1 = Winograd.load(x + xs), m2 = Winograd.load(x + 2 * xs), m3 = Winograd.load(x + 3 * xs)
        Winograd.store(m0 + m1 + m2, y); Winograd.store(m1 - m2 - m3, y + ys)
    }
}

enum Winograd {
    /// Bytes of the transformed input and output of one band of tile rows.
    static let bandBytes = 48 << 20

    /// Whether `conv2d` can take this path: 3x3, stride 1, channel counts in whole vectors.
    static func applies(kh: Int, kw: Int, stride: Int, cin: Int, cout: Int) -> Bool {
        kh == 3 && kw == 3 && stride == 1 && cin % 16 == 0 && cout % 16 == 0
    }

    /// Output tiles of `tile` over n maps of hout x wout.
    static func tiles<T: WinogradTile>(_ tile: T.Type, n: Int, hout: Int, wout: Int) -> Int {
        n * ((hout + T.m - 1) / T.m) * ((wout + T.m - 1) / T.m)
    }

    /// out[N, Cout, hout, wout] = conv3x3(x[N, Cin, h, w], weight[Cout, Cin, 3, 3], padding) + bias, with u holding
    /// the weight's transformed filters (`transformFilters`).
    static func conv3x3<T: WinogradTile>(
        _ tile: T.Type, x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int, filters u: UnsafePointer<Float>,
        cout: Int, bias: UnsafePointer<Float>?, padding: Padding2D, hout: Int, wout: Int, out: UnsafeMutablePointer<Float>,
        bandBytes: Int = bandBytes
    ) {
        let (m, alpha) = (T.m, T.alpha)
        let points = alpha * alpha
        let tilesY = (hout + m - 1) / m, tilesX = (wout + m - 1) / m
        let stripWidth = tilesX * m + 2
        // Tile rows per band: as many as fit the byte budget (at least one).
        let bandRows = max(1, min(tilesY, bandBytes / (4 * points * tilesX * (cin + cout))))
        let v = UnsafeMutablePointer<Float>.allocate(capacity: points * bandRows * tilesX * cin)
        let mm = UnsafeMutablePointer<Float>.allocate(capacity: points * bandRows * tilesX * cout)
        defer { v.deallocate(); mm.deallocate() }

        for b in 0..<n {
            let src = x + b * cin * h * w
            let dst = out + b * cout * hout * wout
            var ty0 = 0
            while ty0 < tilesY {
                let rows = min(bandRows, tilesY - ty0)
                let tiles = rows * tilesX
                // One channel group of one tile row per item, through a channels-last strip of its input rows (in L1).
                let inGroups = cin / 16
                parallelFor(rows * inGroups, grain: 1) { lo, hi in
                    let strip = UnsafeMutablePointer<Float>.allocate(capacity: alpha * stripWidth * 16)
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: points * 16)
                    defer { strip.deallocate(); scratch.deallocate() }
                    for item in lo..<hi {
                        let (r, c) = (item / inGroups, item % inGroups * 16)
                        fillStrip(src + c * h * w, h: h, w: w, rows: alpha, firstRow: (ty0 + r) * m - padding.top,
                                  left: padding.left, width: stripWidth, into: strip)
                        for tx in 0..<tilesX {
                            transformInputTile(T.self, strip + tx * m * 16, rowStride: stripWidth * 16, scratch: scratch,
                                               into: v + (r * tilesX + tx) * cin + c, pointStride: tiles * cin)
                        }
                    }
                }
                parallelEach(points) { p in
                    BLAS.gemm(transB: true, m: tiles, n: cout, k: cin, a: v + p * tiles * cin, lda: cin,
                              b: u + p * cout * cin, ldb: cin, c: mm + p * tiles * cout, ldc: cout, parallel: false)
                }
                // One channel group of one tile row per item: its 16 planes x m rows stay in L1 across the row.
                let groups = cout / 16
                parallelFor(rows * groups, grain: 1) { lo, hi in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (alpha * m + m * m) * 16)
                    defer { scratch.deallocate() }
                    for item in lo..<hi {
                        let (r, c) = (item / groups, item % groups * 16)
                        let oy = (ty0 + r) * m
                        for tx in 0..<tilesX {
                            let t = r * tilesX + tx, ox = tx * m
                            transformOutputTile(T.self, mm + t * cout + c, pointStride: tiles * cout, bias: bias.map { $0 + c },
                                                scratch: scratch, into: dst + c * hout * wout + oy * wout + ox,
                                                planeStride: hout * wout, rowStride: wout,
                                                rows: min(m, hout - oy), columns: min(m, wout - ox))
                        }
                    }
                }
                ty0 += rows
            }
        }
    }

    /// u[p][o][c] = (G g Gᵀ)[p] for each filter g = weight[o][c] (3x3), p = alpha * row + column; 16 input channels
    /// per vector.
    static func transformFilters<T: WinogradTile>(
        _ tile: T.Type, _ weight: UnsafePointer<Float>, cout: Int, cin: Int, into u: UnsafeMutablePointer<Float>
    ) {
        let alpha = T.alpha
        parallelFor(cout, grain: 4) { lo, hi in
            // One output channel's filters with the 9 taps outermost (g[k * cin + c]), and G g for 16 channels.
            let g = UnsafeMutablePointer<Float>.allocate(capacity: 9 * cin)
            let t = UnsafeMutablePointer<Float>.allocate(capacity: alpha * 3 * 16)
            defer { g.deallocate(); t.deallocate() }
            for o in lo..<hi {
                let src = weight + o * cin * 9
                for c in 0..<cin { for k in 0..<9 { g[k * cin + c] = src[c * 9 + k] } }
                for c in stride(from: 0, to: cin, by: 16) {
                    func tap(_ k: Int) -> Vec16 { load(g + k * cin + c) }
                    // Columns first: t[r][j] = (G g)[r][j], G applied to column j of g; then each row r through G.
                    for j in 0..<3 { T.filter(tap(j), tap(3 + j), tap(6 + j), t + j * 16, 3 * 16) }
                    for r in 0..<alpha {
                        let row = t + r * 3 * 16
                        T.filter(load(row), load(row + 16), load(row + 32), u + (r * alpha * cout + o) * cin + c, cout * cin)
                    }
                }
            }
        }
    }

    /// strip[row][column][channel] = input[channel][firstRow + row][column - left] for 16 channels (src points at
    /// the first one's plane), `rows` rows and `width` columns, zero outside the image.
    static func fillStrip(
        _ src: UnsafePointer<Float>, h: Int, w: Int, rows: Int, firstRow: Int, left: Int, width: Int,
        into strip: UnsafeMutablePointer<Float>
    ) {
        let first = min(width, max(0, left)), last = max(first, min(width, w + left))
        for r in 0..<rows {
            let line = strip + r * width * 16
            let y = firstRow + r
            if y < 0 || y >= h {
                line.update(repeating: 0, count: width * 16)
                continue
            }
            if first > 0 { line.update(repeating: 0, count: first * 16) }
            if last < width { (line + last * 16).update(repeating: 0, count: (width - last) * 16) }
            for l in 0..<16 {
                let row = src + (l * h + y) * w - left
                for xs in first..<last { line[xs * 16 + l] = row[xs] }
            }
        }
    }

    /// V[p] = (Bᵀ d B)[p] for the alpha x alpha tile d of 16 channels at `tile` (channels innermost); point p goes to
    /// into + p * pointStride.
    @inline(always)
    static func transformInputTile<T: WinogradTile>(
        _ tile: T.Type, _ d: UnsafePointer<Float>, rowStride: Int, scratch t: UnsafeMutablePointer<Float>,
        into: UnsafeMutablePointer<Float>, pointStride: Int
    ) {
        let alpha = T.alpha
        // Rows first: t[k][r] = column k of row r's transform; then each column k over the rows.
        for r in 0..<alpha { T.input(d + r * rowStride, 16, t + r * 16, alpha * 16) }
        for k in 0..<alpha { T.input(t + k * alpha * 16, 16, into + k * pointStride, alpha * pointStride) }
    }

    /// Y = Aᵀ M A + bias for 16 channels of one tile (point p at mm + p * pointStride), written to
    /// out[channel * planeStride + row * rowStride + column] for the tile's valid rows and columns.
    @inline(always)
    static func transformOutputTile<T: WinogradTile>(
        _ tile: T.Type, _ mm: UnsafePointer<Float>, pointStride: Int, bias: UnsafePointer<Float>?,
        scratch t: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, planeStride: Int, rowStride: Int,
        rows: Int, columns: Int
    ) {
        let (m, alpha) = (T.m, T.alpha)
        let y = t + alpha * m * 16
        // Rows of M first: t[k][r] = ((row r of M) A)[k] for output column k; then each column over the rows.
        for r in 0..<alpha { T.output(mm + r * alpha * pointStride, pointStride, t + r * 16, alpha * 16) }
        for k in 0..<m { T.output(t + k * alpha * 16, 16, y + k * 16, m * 16) }
        let b = bias.map { load($0) } ?? Vec16()
        // y[row][column]: scatter to the channels' planes.
        for row in 0..<rows {
            for col in 0..<columns {
                let v = load(y + (row * m + col) * 16) + b
                let dst = out + row * rowStride + col
                for l in 0..<16 { dst[l * planeStride] = v[l] }
            }
        }
    }

    @inline(always)
    static func load(_ p: UnsafePointer<Float>) -> Vec16 { UnsafeRawPointer(p).loadUnaligned(as: Vec16.self) }
    @inline(always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> Vec16 { load(UnsafePointer(p)) }
    @inline(always)
    static func store(_ x: Vec16, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: x, as: Vec16.self) }
}
