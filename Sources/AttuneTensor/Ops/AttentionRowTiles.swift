// Attention on AVX-512 processors without an editor, bias or causal mask (the UNet's plain self- and
// cross-attention): one work item per (batch item, head, 64 query rows), each running AttentionTiles.attend.
#if arch(x86_64)
import AttuneAVX512

enum AttentionRowTiles {
    /// Whether this processor can run the AVX-512 tiles.
    static let isAvailable = CPUFeatures.hasAVX512

    /// Same contract as `scaledDotProductAttention` without bias, editor or mask; q, k, v are f32, shapes checked.
    static func attention(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
        batch: Int, nq: Int, nk: Int, heads: Int, d: Int, dv: Int, kvSource: [Int], scale: Float
    ) {
        let rows = AttentionTiles.rows
        let (cq, cv) = (heads * d, heads * dv)
        // K and V of each (item, head) that some query uses, made contiguous ([slot][head][key][d]).
        let used = Array(Set(kvSource)).sorted()
        let slot = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let kp = UnsafeMutablePointer<Float>.allocate(capacity: used.count * nk * cq)
        let vp = UnsafeMutablePointer<Float>.allocate(capacity: used.count * nk * cv)
        defer { kp.deallocate(); vp.deallocate() }
        parallelEach(used.count * heads) { item in
            let (s, h) = (item / heads, item % heads)
            for j in 0..<nk {
                (kp + ((s * heads + h) * nk + j) * d).update(from: k + (used[s] * nk + j) * cq + h * d, count: d)
                (vp + ((s * heads + h) * nk + j) * dv).update(from: v + (used[s] * nk + j) * cv + h * dv, count: dv)
            }
        }

        let blocks = (nq + rows - 1) / rows
        parallelEach(batch * heads * blocks) { item in
            let b = item / (heads * blocks), h = item / blocks % heads, r0 = item % blocks * rows
            let nr = min(rows, nq - r0)
            let qT = UnsafeMutablePointer<Float>.allocate(capacity: d * rows)
            let sT = UnsafeMutablePointer<Float>.allocate(capacity: AttentionTiles.keyChunk * rows)
            let oT = UnsafeMutablePointer<Float>.allocate(capacity: dv * rows)
            defer { qT.deallocate(); sT.deallocate(); oT.deallocate() }
            // Rows past the end of the queries are zero: their outputs are computed and dropped.
            if nr < rows { qT.update(repeating: 0, count: d * rows) }
            for r in 0..<nr {
                let src = q + (b * nq + r0 + r) * cq + h * d
                for c in 0..<d { qT[c * rows + r] = src[c] }
            }
            let s = slot[kvSource[b]]!
            AttentionTiles.attend(qT: qT, k: kp + (s * heads + h) * nk * d, v: vp + (s * heads + h) * nk * dv, keys: nk,
                                  d: d, dv: dv, scale: scale, scratch: sT, oT: oT)
            for r in 0..<nr {
                let o = out + (b * nq + r0 + r) * cv + h * dv
                for c in 0..<dv { o[c] = oT[c * rows + r] }
            }
        }
    }
}
#endif
