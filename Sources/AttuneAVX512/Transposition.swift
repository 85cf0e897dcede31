// Matrix transposition in 16x16 blocks of sixteen 16-float vectors, for the products that run transposed
// (BLAS.gemm's 64-row route): a block takes four rounds of 16 two-source shuffles, where scalar copies cost ~3
// cycles per float (64 x 1280: 39 µs against 174 µs; on the 5120 -> 1280 linear on 64 tokens, 1.3x in all).
//
// This module is compiled for AVX-512 (each 16-float vector is one zmm register); callers check the processor
// first (CPUFeatures.hasAVX512).
import AttuneSIMD

public enum Transposition {
    /// dst[j][i] = src[i][j] for a rows x columns src; row-major with leading dimensions ls and ld.
    public static func transpose(
        _ src: UnsafePointer<Float>, _ ls: Int, rows: Int, columns: Int, into dst: UnsafeMutablePointer<Float>, _ ld: Int
    ) {
        let fullRows = rows - rows % 16, fullColumns = columns - columns % 16
        withUnsafeTemporaryAllocation(of: Vec16.self, capacity: 32) { scratch in
            let (a, b) = (scratch.baseAddress!, scratch.baseAddress! + 16)
            for i0 in stride(from: 0, to: fullRows, by: 16) {
                for j0 in stride(from: 0, to: fullColumns, by: 16) { block(src + i0 * ls + j0, ls, dst + j0 * ld + i0, ld, a, b) }
            }
        }
        // Edges: the columns past the last whole block for every row, then the rows past it for the whole blocks.
        for i in 0..<rows { for j in fullColumns..<columns { dst[j * ld + i] = src[i * ls + j] } }
        for i in fullRows..<rows { for j in 0..<fullColumns { dst[j * ld + i] = src[i * ls + j] } }
    }

    /// One 16x16 block. Each round maps element (r, c) to (c₀r₃r₂r₁, r₀c₃c₂c₁) in bits: row r's even and odd
    /// elements go, beside those of row r ^ 1, to rows r / 2 and 8 + r / 2. Four rounds rotate all of r's bits
    /// into c and c's into r.
    @inline(__always)
    static func block(
        _ src: UnsafePointer<Float>, _ ls: Int, _ dst: UnsafeMutablePointer<Float>, _ ld: Int,
        _ a: UnsafeMutablePointer<Vec16>, _ b: UnsafeMutablePointer<Vec16>
    ) {
        for i in 0..<16 { a[i] = UnsafeRawPointer(src + i * ls).loadUnaligned(as: Vec16.self) }
        var (from, to) = (a, b)
        for _ in 0..<4 {
            for i in 0..<8 {
                to[i] = Vec16(lowHalf: from[2 * i].evenHalf, highHalf: from[2 * i + 1].evenHalf)
                to[8 + i] = Vec16(lowHalf: from[2 * i].oddHalf, highHalf: from[2 * i + 1].oddHalf)
            }
            swap(&from, &to)
        }
        for i in 0..<16 { UnsafeMutableRawPointer(dst + i * ld).storeBytes(of: from[i], as: Vec16.self) }
    }
}
