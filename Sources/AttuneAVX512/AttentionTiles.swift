// Attention for a block of 64 query rows laid out "transposed": key-major scores Sᵀ[j][r] and output Oᵀ[c][r], so
// that every vector runs along query rows. With SD's head widths of 40-160 the plain row-major products have an
// inner dimension of 40 (QKᵀ) or an output width of 40 (PV), which sgemm runs at about half its square rate; here
// both are register tiles over 64 rows (four 16-float vectors), and the softmax's per-row max, sum and rescaling
// need no horizontal reductions. Keys are visited in chunks small enough to stay in L1 with FlashAttention's
// online softmax.
//
// This module is compiled for AVX-512 (each 16-float vector is one zmm register); callers check the processor
// first (CPUFeatures.hasAVX512).
import AttuneSIMD

public enum AttentionTiles {
    /// Query rows per block: the width of `RowVector`.
    public static let rows = 64
    /// Keys per chunk: their scores (15 KB) and V rows stay in L1 between the two products; a multiple of the
    /// six keys of a score tile.
    public static let keyChunk = 60

    /// oT[c][r] = Σ_j softmax_j(scale * q_r · k_j) v[j][c] for the 64 rows of qT.
    /// qT: [d][64] (rows past the block's end may hold anything finite), multiplied by `scale` x log2(e) in place;
    /// k: [keys][d] and v: [keys][dv] contiguous, scratch: [keyChunk][64], oT: [dv][64].
    public static func attend(
        qT: UnsafeMutablePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, keys: Int, d: Int, dv: Int,
        scale: Float, scratch sT: UnsafeMutablePointer<Float>, oT: UnsafeMutablePointer<Float>
    ) {
        // Scaling the queries once costs d x 64 multiplies instead of one per score. With log2(e) folded in, the
        // scores are in base 2 and the softmax's exponentials are exp2 (the same probabilities, a cheaper function).
        let scale2 = RowVector(repeating: scale * 1.44269504088896341)
        for c in 0..<d { (RowVector(qT + c * rows) * scale2).store(to: qT + c * rows) }
        oT.update(repeating: 0, count: dv * rows)
        var runMax = RowVector(repeating: -.infinity), runSum = RowVector(repeating: 0)
        var j0 = 0
        while j0 < keys {
            let n = min(keyChunk, keys - j0)
            let newMax = RowVector.pointwiseMax(runMax, scores(qT: qT, k: k + j0 * d, keys: n, d: d, sT: sT))
            if j0 > 0 {
                // Rescale what was accumulated under the old maximum.
                let correction = (runMax - newMax).exp2NonPositive()
                runSum = runSum * correction
                for c in 0..<dv { (RowVector(oT + c * rows) * correction).store(to: oT + c * rows) }
            }
            for j in 0..<n {
                let e = (RowVector(sT + j * rows) - newMax).exp2NonPositive()
                e.store(to: sT + j * rows)
                runSum = runSum + e
            }
            accumulateOutput(pT: sT, v: v + j0 * dv, keys: n, dv: dv, oT: oT)
            runMax = newMax
            j0 += n
        }
        let inverse = RowVector(repeating: 1) / runSum
        for c in 0..<dv { (RowVector(oT + c * rows) * inverse).store(to: oT + c * rows) }
    }

    /// sT[j][r] = Σ_c k[j][c] * qT[c][r] for `keys` keys; returns the maximum over j per row.
    static func scores(
        qT: UnsafePointer<Float>, k: UnsafePointer<Float>, keys: Int, d: Int, sT: UnsafeMutablePointer<Float>
    ) -> RowVector {
        var mx = RowVector(repeating: -.infinity)
        var j = 0
        // Six keys at a time: 6 x 4 accumulators, one broadcast per key and four loads of qT per step of c.
        while j + 6 <= keys {
            let k0 = k + j * d, k1 = k0 + d, k2 = k1 + d, k3 = k2 + d, k4 = k3 + d, k5 = k4 + d
            var a0 = RowVector(), a1 = RowVector(), a2 = RowVector(), a3 = RowVector(), a4 = RowVector(), a5 = RowVector()
            for c in 0..<d {
                let q = RowVector(qT + c * rows)
                a0 = a0.addingProduct(q, k0[c])
                a1 = a1.addingProduct(q, k1[c])
                a2 = a2.addingProduct(q, k2[c])
                a3 = a3.addingProduct(q, k3[c])
                a4 = a4.addingProduct(q, k4[c])
                a5 = a5.addingProduct(q, k5[c])
            }
            let out = sT + j * rows
            mx = storeMax(a0, out, mx)
            mx = storeMax(a1, out + rows, mx)
            mx = storeMax(a2, out + 2 * rows, mx)
            mx = storeMax(a3, out + 3 * rows, mx)
            mx = storeMax(a4, out + 4 * rows, mx)
            mx = storeMax(a5, out + 5 * rows, mx)
            j += 6
        }
        while j < keys {
            let kj = k + j * d
            var a = RowVector()
            for c in 0..<d { a = a.addingProduct(RowVector(qT + c * rows), kj[c]) }
            mx = storeMax(a, sT + j * rows, mx)
            j += 1
        }
        return mx
    }

    /// oT[c][r] += Σ_j v[j][c] * pT[j][r] over `keys` keys. v: [keys][dv] contiguous, pT: [keys][64], oT: [dv][64].
    static func accumulateOutput(
        pT: UnsafePointer<Float>, v: UnsafePointer<Float>, keys: Int, dv: Int, oT: UnsafeMutablePointer<Float>
    ) {
        var c = 0
        // Five output columns at a time: 5 x 4 accumulators, four loads of pT and five broadcasts per key.
        while c + 5 <= dv {
            let o = oT + c * rows
            var a0 = RowVector(o), a1 = RowVector(o + rows), a2 = RowVector(o + 2 * rows)
            var a3 = RowVector(o + 3 * rows), a4 = RowVector(o + 4 * rows)
            var vj = v + c
            for j in 0..<keys {
                let p = RowVector(pT + j * rows)
                a0 = a0.addingProduct(p, vj[0])
                a1 = a1.addingProduct(p, vj[1])
                a2 = a2.addingProduct(p, vj[2])
                a3 = a3.addingProduct(p, vj[3])
                a4 = a4.addingProduct(p, vj[4])
                vj += dv
            }
            a0.store(to: o); a1.store(to: o + rows); a2.store(to: o + 2 * rows); a3.store(to: o + 3 * rows); a4.store(to: o + 4 * rows)
            c += 5
        }
        while c < dv {
            let o = oT + c * rows
            var a = RowVector(o)
            for j in 0..<keys { a = a.addingProduct(RowVector(pT + j * rows), v[j * dv + c]) }
            a.store(to: o)
            c += 1
        }
    }

    /// Stores a and returns the running maximum including it.
    @inline(always)
    static func storeMax(_ a: RowVector, _ p: UnsafeMutablePointer<Float>, _ mx: RowVector) -> RowVector {
        a.store(to: p)
        return RowVector.pointwiseMax(mx, a)
    }
}

/// 64 floats as four 16-float vectors (Swift's SIMD64 falls back to scalar code for some operations).
struct RowVector {
    var v0 = Vec16(), v1 = Vec16(), v2 = Vec16(), v3 = Vec16()

    @inline(always) init() {}
    @inline(always) init(repeating x: Float) { v0 = Vec16(repeating: x); v1 = v0; v2 = v0; v3 = v0 }
    @inline(always) init(_ v0: Vec16, _ v1: Vec16, _ v2: Vec16, _ v3: Vec16) { (self.v0, self.v1, self.v2, self.v3) = (v0, v1, v2, v3) }
    @inline(always) init(_ p: UnsafePointer<Float>) {
        let r = UnsafeRawPointer(p)
        self.init(r.loadUnaligned(as: Vec16.self), r.loadUnaligned(fromByteOffset: 64, as: Vec16.self),
                  r.loadUnaligned(fromByteOffset: 128, as: Vec16.self), r.loadUnaligned(fromByteOffset: 192, as: Vec16.self))
    }
    @inline(always) init(_ p: UnsafeMutablePointer<Float>) { self.init(UnsafePointer(p)) }

    @inline(always) func store(to p: UnsafeMutablePointer<Float>) {
        let r = UnsafeMutableRawPointer(p)
        r.storeBytes(of: v0, as: Vec16.self)
        r.storeBytes(of: v1, toByteOffset: 64, as: Vec16.self)
        r.storeBytes(of: v2, toByteOffset: 128, as: Vec16.self)
        r.storeBytes(of: v3, toByteOffset: 192, as: Vec16.self)
    }

    /// self + x * s
    @inline(always) func addingProduct(_ x: RowVector, _ s: Float) -> RowVector {
        RowVector(v0.addingProduct(x.v0, s), v1.addingProduct(x.v1, s), v2.addingProduct(x.v2, s), v3.addingProduct(x.v3, s))
    }
    @inline(always) static func + (a: RowVector, b: RowVector) -> RowVector { RowVector(a.v0 + b.v0, a.v1 + b.v1, a.v2 + b.v2, a.v3 + b.v3) }
    @inline(always) static func - (a: RowVector, b: RowVector) -> RowVector { RowVector(a.v0 - b.v0, a.v1 - b.v1, a.v2 - b.v2, a.v3 - b.v3) }
    @inline(always) static func * (a: RowVector, b: RowVector) -> RowVector { RowVector(a.v0 * b.v0, a.v1 * b.v1, a.v2 * b.v2, a.v3 * b.v3) }
    @inline(always) static func / (a: RowVector, b: RowVector) -> RowVector { RowVector(a.v0 / b.v0, a.v1 / b.v1, a.v2 / b.v2, a.v3 / b.v3) }
    @inline(always) func exp2NonPositive() -> RowVector {
        RowVector(VectorMath.exp2NonPositive(v0), VectorMath.exp2NonPositive(v1), VectorMath.exp2NonPositive(v2),
                  VectorMath.exp2NonPositive(v3))
    }
    @inline(always) static func pointwiseMax(_ a: RowVector, _ b: RowVector) -> RowVector {
        RowVector(AttuneSIMD.pointwiseMax(a.v0, b.v0), AttuneSIMD.pointwiseMax(a.v1, b.v1),
                  AttuneSIMD.pointwiseMax(a.v2, b.v2), AttuneSIMD.pointwiseMax(a.v3, b.v3))
    }
}
