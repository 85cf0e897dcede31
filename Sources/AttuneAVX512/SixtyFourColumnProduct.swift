// C[M, 64] += A[M, K] B[K, 64]: the products of SD's 8x8 feature maps (a 3x3 convolution's im2col at 1280 channels
// is A = 1280 x 11520 weights times B = 11520 x 64 columns). With 64 columns OpenBLAS's kernels get ~0.4 of the
// multiply-add ceiling; here each weight is read once, straight from A, as a broadcast into four multiply-adds on one
// 64-float row of B, and a 512-row slice of B (128 KB) stays in L2 while A's rows stream past it: 1.15-1.4x
// OpenBLAS on these shapes, alternated in one process (`attune bench ops` shows it on the 8x8 conv). It loses to
// OpenBLAS from 128 columns on.
//
// This module is compiled for AVX-512 (each 16-float vector is one zmm register); callers check the processor
// first (CPUFeatures.hasAVX512).
public enum SixtyFourColumnProduct {
    public static let columns = 64
    /// Rows of A per register tile: 6 x 4 accumulators, four loads of B and six broadcasts per step of k.
    public static let rowsPerTile = 6
    /// Steps of k per pass over A: B's slice (kSlice x 64 floats) stays in L2, and each of A's rows is read in
    /// 2 KB runs, long enough for the hardware prefetcher.
    static let kSlice = 512

    /// C[i][0..<64] += Σ_k A[i][k] B[k][0..<64] for the rows i < m - m % 6; returns how many rows it did (the
    /// caller does the rest). Row-major, with leading dimensions.
    public static func multiplyAdd(
        m: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Int {
        let tiled = m - m % rowsPerTile
        var k0 = 0
        while k0 < k {
            let steps = min(kSlice, k - k0)
            for i in stride(from: 0, to: tiled, by: rowsPerTile) {
                tile(steps: steps, a: a + i * lda + k0, lda: lda, b: b + k0 * ldb, ldb: ldb, c: c + i * ldc, ldc: ldc)
            }
            k0 += steps
        }
        return tiled
    }

    /// Six rows of C plus A's 6 x steps block times B's steps x 64 block.
    @inline(__always)
    static func tile(
        steps: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>,
        ldc: Int
    ) {
        let a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
        let c0 = c, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc
        var x0 = RowVector(c0), x1 = RowVector(c1), x2 = RowVector(c2), x3 = RowVector(c3), x4 = RowVector(c4)
        var x5 = RowVector(c5)
        var bk = b
        for j in 0..<steps {
            let row = RowVector(bk)
            x0 = x0.addingProduct(row, a0[j])
            x1 = x1.addingProduct(row, a1[j])
            x2 = x2.addingProduct(row, a2[j])
            x3 = x3.addingProduct(row, a3[j])
            x4 = x4.addingProduct(row, a4[j])
            x5 = x5.addingProduct(row, a5[j])
            bk += ldb
        }
        x0.store(to: c0); x1.store(to: c1); x2.store(to: c2); x3.store(to: c3); x4.store(to: c4); x5.store(to: c5)
    }
}
