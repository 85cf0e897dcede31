// 3x3 stride-1 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016): a 4x4 output tile costs 36 multiplies per (input, output) channel pair
// instead of 144. Input tiles (6x6), filters (3x3 -> 6x6) and output tiles go through small fixed transforms, and
// the 36 element-wise products over channels become 36 sgemm calls [tiles x Cin] x [Cin x Cout].
//
// Data layout: channels innermost (transforms run on 16 channels per vector): each tile row's 6 input rows are
// copied, 16 channels at a time, into a small zero-padded channels-last strip. Tile rows go in bands, which bounds
// the transformed input and output buffers.

enum Winograd {
    /// Output tile side (F(4x4, 3x3)) and input tile side.
    static let m = 4, alpha = 6
    /// Bytes of the transformed input and output of one band of tile rows.
    static let bandBytes = 48 << 20

    /// Whether `conv2d` can take this path: 3x3, stride 1, channel counts in whole vectors.
    static func applies(kh: Int, kw: Int, stride: Int, cin: Int, cout: Int) -> Bool {
        kh == 3 && kw == 3 && stride == 1 && cin % 16 == 0 && cout % 16 == 0
    }

    /// out[N, Cout, hout, wout] = conv3x3(x[N, Cin, h, w], weight[Cout, Cin, 3, 3], padding) + bias.
    /// U holds the transformed filters (`transformFilters`).
    static func conv3x3(
        x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int, filters u: UnsafePointer<Float>, cout: Int,
        bias: UnsafePointer<Float>?, padding: Padding2D, hout: Int, wout: Int, out: UnsafeMutablePointer<Float>,
        bandBytes: Int = bandBytes
    ) {
        let tilesY = (hout + m - 1) / m, tilesX = (wout + m - 1) / m
        let stripWidth = tilesX * m + 2
        // Tile rows per band: as many as fit the byte budget (at least one).
        let bandRows = max(1, min(tilesY, bandBytes / (4 * 36 * tilesX * (cin + cout))))
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * bandRows * tilesX * cin)
        let mm = UnsafeMutablePointer<Float>.allocate(capacity: 36 * bandRows * tilesX * cout)
        defer { v.deallocate(); mm.deallocate() }

        for b in 0..<n {
            let src = x + b * cin * h * w
            let dst = out + b * cout * hout * wout
            var ty0 = 0
            while ty0 < tilesY {
                let rows = min(bandRows, tilesY - ty0)
                let tiles = rows * tilesX
                // One channel group of one tile row per item, through a channels-last strip of its 6 input rows (in L1).
                let inGroups = cin / 16
                parallelFor(rows * inGroups, grain: 1) { lo, hi in
                    let strip = UnsafeMutablePointer<Float>.allocate(capacity: 6 * stripWidth * 16)
                    let scratch = UnsafeMutablePointer<Vec16>.allocate(capacity: 36)
                    defer { strip.deallocate(); scratch.deallocate() }
                    for item in lo..<hi {
                        let (r, c) = (item / inGroups, item % inGroups * 16)
                        fillStrip(src + c * h * w, h: h, w: w, firstRow: (ty0 + r) * m - padding.top, left: padding.left,
                                  width: stripWidth, into: strip)
                        for tx in 0..<tilesX {
                            transformInputTile(strip + tx * m * 16, rowStride: stripWidth * 16, scratch: scratch,
                                               into: v + (r * tilesX + tx) * cin + c, pointStride: tiles * cin)
                        }
                    }
                }
                parallelEach(36) { p in
                    BLAS.gemm(transB: true, m: tiles, n: cout, k: cin, a: v + p * tiles * cin, lda: cin,
                              b: u + p * cout * cin, ldb: cin, c: mm + p * tiles * cout, ldc: cout, parallel: false)
                }
                // One channel group of one tile row per item: its 16 planes x 4 rows stay in L1 across the row.
                let groups = cout / 16
                parallelFor(rows * groups, grain: 1) { lo, hi in
                    let scratch = UnsafeMutablePointer<Vec16>.allocate(capacity: 40)
                    defer { scratch.deallocate() }
                    for item in lo..<hi {
                        let (r, c) = (item / groups, item % groups * 16)
                        let oy = (ty0 + r) * m
                        for tx in 0..<tilesX {
                            let t = r * tilesX + tx, ox = tx * m
                            transformOutputTile(mm + t * cout + c, pointStride: tiles * cout, bias: bias.map { $0 + c },
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

    /// u[p][o][c] = (G g Gᵀ)[p] for each filter g = weight[o][c] (3x3), p = 6 * row + column; 16 input channels
    /// per vector.
    static func transformFilters(_ weight: UnsafePointer<Float>, cout: Int, cin: Int, into u: UnsafeMutablePointer<Float>) {
        parallelFor(cout, grain: 4) { lo, hi in
            // One output channel's filters with the 9 taps outermost: g[k * cin + c].
            let g = UnsafeMutablePointer<Float>.allocate(capacity: 9 * cin)
            defer { g.deallocate() }
            for o in lo..<hi {
                let src = weight + o * cin * 9
                for c in 0..<cin { for k in 0..<9 { g[k * cin + c] = src[c * 9 + k] } }
                for c in stride(from: 0, to: cin, by: 16) {
                    func tap(_ k: Int) -> Vec16 { load(g + k * cin + c) }
                    // Columns first: (G g)[r][j] = G applied to column j of g; then each row r through G.
                    let c0 = filterTransform(tap(0), tap(3), tap(6)), c1 = filterTransform(tap(1), tap(4), tap(7))
                    let c2 = filterTransform(tap(2), tap(5), tap(8))
                    let step = cout * cin
                    func emit(_ r: Int, _ a: Vec16, _ b: Vec16, _ d: Vec16) {
                        let row = filterTransform(a, b, d), base = u + (r * 6 * cout + o) * cin + c
                        store(row.0, base); store(row.1, base + step); store(row.2, base + 2 * step)
                        store(row.3, base + 3 * step); store(row.4, base + 4 * step); store(row.5, base + 5 * step)
                    }
                    emit(0, c0.0, c1.0, c2.0); emit(1, c0.1, c1.1, c2.1); emit(2, c0.2, c1.2, c2.2)
                    emit(3, c0.3, c1.3, c2.3); emit(4, c0.4, c1.4, c2.4); emit(5, c0.5, c1.5, c2.5)
                }
            }
        }
    }

    /// G applied to (g0, g1, g2).
    @inline(always)
    static func filterTransform(_ g0: Vec16, _ g1: Vec16, _ g2: Vec16) -> (Vec16, Vec16, Vec16, Vec16, Vec16, Vec16) {
        let s = g0 + g2, q = g0 * (1 / 24) + g2 * (1 / 6), h = g1 * (1 / 12)
        return (g0 * 0.25, (s + g1) * (-1 / 6), (s - g1) * (-1 / 6), q + h, q - h, g2)
    }

    /// strip[row][column][channel] = input[channel][firstRow + row][column - left] for 16 channels (src points at
    /// the first one's plane), 6 rows and `width` columns, zero outside the image.
    static func fillStrip(
        _ src: UnsafePointer<Float>, h: Int, w: Int, firstRow: Int, left: Int, width: Int, into strip: UnsafeMutablePointer<Float>
    ) {
        let first = min(width, max(0, left)), last = max(first, min(width, w + left))
        for r in 0..<6 {
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

    /// V[p] = (Bᵀ d B)[p] for the 6x6 tile d of 16 channels at `tile` (channels innermost); point p goes to
    /// into + p * pointStride.
    @inline(always)
    static func transformInputTile(
        _ tile: UnsafePointer<Float>, rowStride: Int, scratch t: UnsafeMutablePointer<Vec16>,
        into: UnsafeMutablePointer<Float>, pointStride: Int
    ) {
        for r in 0..<6 {
            let row = tile + r * rowStride
            let o = inputTransform(load(row), load(row + 16), load(row + 32), load(row + 48), load(row + 64), load(row + 80))
            t[r] = o.0; t[6 + r] = o.1; t[12 + r] = o.2; t[18 + r] = o.3; t[24 + r] = o.4; t[30 + r] = o.5
        }
        // t[k * 6 + r] holds column k of row r's transform; transform each column over the rows.
        for k in 0..<6 {
            let o = inputTransform(t[k * 6], t[k * 6 + 1], t[k * 6 + 2], t[k * 6 + 3], t[k * 6 + 4], t[k * 6 + 5])
            let base = into + k * pointStride
            store(o.0, base); store(o.1, base + 6 * pointStride); store(o.2, base + 12 * pointStride)
            store(o.3, base + 18 * pointStride); store(o.4, base + 24 * pointStride); store(o.5, base + 30 * pointStride)
        }
    }

    /// Bᵀ applied to (d0 ... d5).
    @inline(always)
    static func inputTransform(_ d0: Vec16, _ d1: Vec16, _ d2: Vec16, _ d3: Vec16, _ d4: Vec16, _ d5: Vec16)
        -> (Vec16, Vec16, Vec16, Vec16, Vec16, Vec16) {
        let a = d3 - 4 * d1, b = d4 - 4 * d2, c = d3 - d1, e = d4 - d2
        return (4 * d0 - 5 * d2 + d4, b + a, b - a, e + 2 * c, e - 2 * c, 4 * d1 - 5 * d3 + d5)
    }

    /// Y = Aᵀ M A + bias for 16 channels of one tile (point p at mm + p * pointStride), written to
    /// out[channel * planeStride + row * rowStride + column] for the tile's valid rows and columns.
    @inline(always)
    static func transformOutputTile(
        _ mm: UnsafePointer<Float>, pointStride: Int, bias: UnsafePointer<Float>?, scratch t: UnsafeMutablePointer<Vec16>,
        into out: UnsafeMutablePointer<Float>, planeStride: Int, rowStride: Int, rows: Int, columns: Int
    ) {
        let y = t + 24
        // Rows of M first: t[k * 6 + r] = (row r of M) A, for output column k.
        for r in 0..<6 {
            let p = mm + r * 6 * pointStride
            let o = outputTransform(load(p), load(p + pointStride), load(p + 2 * pointStride),
                                    load(p + 3 * pointStride), load(p + 4 * pointStride), load(p + 5 * pointStride))
            t[r] = o.0; t[6 + r] = o.1; t[12 + r] = o.2; t[18 + r] = o.3
        }
        let b = bias.map { load($0) } ?? Vec16()
        for k in 0..<4 {
            let o = outputTransform(t[k * 6], t[k * 6 + 1], t[k * 6 + 2], t[k * 6 + 3], t[k * 6 + 4], t[k * 6 + 5])
            y[k] = o.0 + b; y[4 + k] = o.1 + b; y[8 + k] = o.2 + b; y[12 + k] = o.3 + b
        }
        // y[row * 4 + column]: scatter to the channels' planes.
        for row in 0..<rows {
            for col in 0..<columns {
                let v = y[row * 4 + col]
                let dst = out + row * rowStride + col
                for l in 0..<16 { dst[l * planeStride] = v[l] }
            }
        }
    }

    /// Aᵀ applied to (m0 ... m5).
    @inline(always)
    static func outputTransform(_ m0: Vec16, _ m1: Vec16, _ m2: Vec16, _ m3: Vec16, _ m4: Vec16, _ m5: Vec16)
        -> (Vec16, Vec16, Vec16, Vec16) {
        let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
        return (m0 + s12 + s34, d12 + 2 * d34, s12 + 4 * s34, d12 + 8 * d34 + m5)
    }

    @inline(always)
    static func load(_ p: UnsafePointer<Float>) -> Vec16 { UnsafeRawPointer(p).loadUnaligned(as: Vec16.self) }
    @inline(always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> Vec16 { load(UnsafePointer(p)) }
    @inline(always)
    static func store(_ x: Vec16, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: x, as: Vec16.self) }
}
