import AttuneAVX512
@testable import AttuneTensor
import AttuneTestSupport
import Testing

/// BLAS.gemm's kernels against the definition, in double precision.
@Suite struct GEMMTests {
    /// A row-major m x k matrix in an lda-wide buffer (padding columns hold NaN, which must never be read).
    static func matrix(_ rows: Int, _ cols: Int, ld: Int, seed: UInt64) -> [Float] {
        var g = TorchGenerator(seed: seed)
        let values = g.randn([rows * cols]).scalars
        var out = [Float](repeating: .nan, count: rows * ld)
        for i in 0..<rows { for j in 0..<cols { out[i * ld + j] = values[i * cols + j] } }
        return out
    }

    /// C = A B + beta C0 over the first n columns of each matrix.
    static func reference(m: Int, n: Int, k: Int, a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float, c0: [Float], ldc: Int) -> [Float] {
        var out = c0
        for i in 0..<m { for j in 0..<n {
            var s = beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])
            for p in 0..<k { s += Double(a[i * lda + p]) * Double(b[p * ldb + j]) }
            out[i * ldc + j] = Float(s)
        } }
        return out
    }

    /// Largest |Δ| over the first n columns of each row, relative to the reference's largest value there.
    static func error(_ got: [Float], _ want: [Float], m: Int, n: Int, ld: Int) -> Float {
        var worst: Float = 0, scale: Float = 0
        for i in 0..<m { for j in 0..<n {
            worst = max(worst, abs(got[i * ld + j] - want[i * ld + j]))
            scale = max(scale, abs(want[i * ld + j]))
        } }
        return worst / scale
    }

    /// 64-column products (SixtyFourColumnProduct on AVX-512 processors, OpenBLAS elsewhere) and the same
    /// products on OpenBLAS: shapes with fewer rows than a tile, leftover rows, several k slices, bands split
    /// across cores, padded leading dimensions, and beta 0 over a C full of NaN.
    @Test(arguments: [(5, 7), (6, 1), (13, 600), (70, 1100), (600, 40)], [Float(0), 1])
    func sixtyFourColumnsMatchDefinition(shape: (m: Int, k: Int), beta: Float) {
        let (m, k, n) = (shape.m, shape.k, 64)
        let (lda, ldb, ldc) = (k + 3, n + 16, n + 5)
        let a = Self.matrix(m, k, ld: lda, seed: 1), b = Self.matrix(k, n, ld: ldb, seed: 2)
        let c0 = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : Self.matrix(m, n, ld: ldc, seed: 3)
        let want = Self.reference(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c0: c0, ldc: ldc)
        for kernel in [GEMMKernel.automatic, .openBLAS] { for parallel in [false, true] {
            var c = c0
            c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc,
                          parallel: parallel, kernel: kernel)
            }
            let e = Self.error(c, want, m: m, n: n, ld: ldc)
            // A float sum of k products carries ~sqrt(k) roundings of 2^-24: at k = 1100 OpenBLAS got 0.7e-6, the
            // 64-column kernel, which sums 512 steps per pass in one chain, 1.3-1.4e-6.
            #expect(e < 5e-6, "\(kernel) parallel \(parallel) m \(m) k \(k) beta \(beta): max|Δ|/max|ref| = \(e)")
            // Columns past n belong to someone else.
            for i in 0..<m { for j in n..<ldc { #expect(c[i * ldc + j].bitPattern == c0[i * ldc + j].bitPattern) } }
        } }
    }

    /// 64-row products with B stored transposed (a linear on 64 tokens, a Winograd band of 64 tiles), which run
    /// as the 64-column product transposed on AVX-512 processors: too few columns for a tile, leftover rows of
    /// the transposed product, bands split across cores (by columns, each keeping all 64 rows), padded leading
    /// dimensions, beta 0 over NaN and beta 1 (a linear's bias filled in first).
    @Test(arguments: [(5, 7), (6, 600), (13, 1100), (70, 40), (200, 600)], [Float(0), 1])
    func sixtyFourRowsTimesTransposedMatchDefinition(shape: (n: Int, k: Int), beta: Float) {
        let (m, n, k) = (64, shape.n, shape.k)
        let (lda, ldb, ldc) = (k + 3, k + 16, n + 5)
        let a = Self.matrix(m, k, ld: lda, seed: 7), b = Self.matrix(n, k, ld: ldb, seed: 8)
        var bt = [Float](repeating: 0, count: k * n)
        for j in 0..<n { for p in 0..<k { bt[p * n + j] = b[j * ldb + p] } }
        let c0 = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : Self.matrix(m, n, ld: ldc, seed: 9)
        let want = Self.reference(m: m, n: n, k: k, a: a, lda: lda, b: bt, ldb: n, beta: beta, c0: c0, ldc: ldc)
        for kernel in [GEMMKernel.automatic, .openBLAS] { for parallel in [false, true] {
            var c = c0
            c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transB: true, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: pc.baseAddress!,
                          ldc: ldc, parallel: parallel, kernel: kernel)
            }
            let e = Self.error(c, want, m: m, n: n, ld: ldc)
            #expect(e < 5e-6, "\(kernel) parallel \(parallel) n \(n) k \(k) beta \(beta): max|Δ|/max|ref| = \(e)")
            for i in 0..<m { for j in n..<ldc { #expect(c[i * ldc + j].bitPattern == c0[i * ldc + j].bitPattern) } }
        } }
    }

    /// Transposition against element-wise copies: whole 16x16 blocks, edges in either direction, padded leading
    /// dimensions (whose padding must stay untouched).
    @Test(.enabled(if: CPUFeatures.hasAVX512), arguments: [(16, 16), (64, 1280), (1280, 64), (37, 51), (5, 3), (16, 40)])
    func transpositionMatchesDefinition(shape: (rows: Int, columns: Int)) {
        let (rows, columns) = shape
        let (ls, ld) = (columns + 7, rows + 3)
        let src = Self.matrix(rows, columns, ld: ls, seed: 10)
        var dst = [Float](repeating: .nan, count: columns * ld)
        dst.withUnsafeMutableBufferPointer { Transposition.transpose(src, ls, rows: rows, columns: columns, into: $0.baseAddress!, ld) }
        var wrong = 0
        for j in 0..<columns { for i in 0..<ld where (i < rows ? dst[j * ld + i] != src[i * ls + j] : !dst[j * ld + i].isNaN) { wrong += 1 } }
        #expect(wrong == 0, "\(rows) x \(columns): \(wrong) elements wrong")
    }

    /// The kernel itself: it does whole tiles of six rows and leaves the rest, and all of C's other rows, alone.
    @Test(.enabled(if: CPUFeatures.hasAVX512))
    func sixtyFourColumnKernelDoesWholeTiles() {
        let (m, k, n) = (17, 1030, 64)
        let a = Self.matrix(m, k, ld: k, seed: 4), b = Self.matrix(k, n, ld: n, seed: 5), c0 = Self.matrix(m, n, ld: n, seed: 6)
        var c = c0
        let done = c.withUnsafeMutableBufferPointer {
            SixtyFourColumnProduct.multiplyAdd(m: m, k: k, a: a, lda: k, b: b, ldb: n, c: $0.baseAddress!, ldc: n)
        }
        #expect(done == 12)
        let want = Self.reference(m: done, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: 1, c0: c0, ldc: n)
        #expect(Self.error(c, want, m: done, n: n, ld: n) < 5e-6)
        #expect(c[(done * n)...] == c0[(done * n)...])
    }
}
