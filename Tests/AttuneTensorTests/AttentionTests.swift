@testable import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct AttentionTests {
    /// softmax(q kᵀ scale + bias) v per head, the definition, in Double.
    static func naive(q: Tensor, k: Tensor, v: Tensor, heads: Int, scale: Float, bias: Tensor? = nil, kv: [Int]? = nil, causal: Bool = false) -> Tensor {
        let (b, nq, c) = (q.dim(0), q.dim(1), q.dim(2)), nk = k.dim(1), cv = v.dim(2)
        let d = c / heads, dv = cv / heads
        let qs = q.scalars, ks = k.scalars, vs = v.scalars, bs = bias?.scalars
        var out = [Float](repeating: 0, count: b * nq * cv)
        for bi in 0..<b {
            let src = kv?[bi] ?? bi
            for h in 0..<heads { for i in 0..<nq {
                var s = [Double](repeating: 0, count: nk)
                for j in 0..<nk {
                    var dot = 0.0
                    for e in 0..<d { dot += Double(qs[(bi * nq + i) * c + h * d + e]) * Double(ks[(src * nk + j) * c + h * d + e]) }
                    s[j] = dot * Double(scale) + Double(bs?[bi * nk + j] ?? 0)
                    if causal && j > i { s[j] = -.infinity }
                }
                let m = s.max()!
                let e = s.map { Foundation.exp($0 - m) }
                let z = e.reduce(0, +)
                for f in 0..<dv {
                    var acc = 0.0
                    for j in 0..<nk { acc += e[j] / z * Double(vs[(src * nk + j) * cv + h * dv + f]) }
                    out[(bi * nq + i) * cv + h * dv + f] = Float(acc)
                }
            } }
        }
        return Tensor(out, shape: [b, nq, cv])
    }

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = TorchGenerator(seed: seed)
        return g.randn(shape)
    }

    let q = random([2, 37, 12], seed: 1), k = random([2, 29, 12], seed: 2), v = random([2, 29, 12], seed: 3)

    @Test func matchesDefinition() {
        let got = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5)
        #expect(closeness(got, Self.naive(q: q, k: k, v: v, heads: 3, scale: 0.5)).maxAbs < 1e-5)
    }

    @Test func onlineSoftmaxOverKeyBlocksMatchesWholeRows() {
        var options = AttentionOptions()
        options.fullRowKeyLimit = 8
        options.keyBlock = 7
        let got = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: options)
        #expect(closeness(got, Self.naive(q: q, k: k, v: v, heads: 3, scale: 0.5)).maxAbs < 1e-5)
        options.causal = true
        let qk = Self.random([1, 29, 12], seed: 4)
        let causal = scaledDotProductAttention(q: qk, k: slice(k, axis: 0, start: 0, length: 1), v: slice(v, axis: 0, start: 0, length: 1), heads: 3, scale: 0.5, options: options)
        #expect(closeness(causal, Self.naive(q: qk, k: slice(k, axis: 0, start: 0, length: 1), v: slice(v, axis: 0, start: 0, length: 1), heads: 3, scale: 0.5, causal: true)).maxAbs < 1e-5)
    }

    @Test func keyBiasKeyValueSourcesAndCausalMask() {
        var biasValues = [Float](repeating: 0, count: 2 * 29)
        for j in stride(from: 0, to: 58, by: 3) { biasValues[j] = -Float.greatestFiniteMagnitude }
        let bias = Tensor(biasValues, shape: [2, 29])
        let options = AttentionOptions(keyValueSource: [0, 0], keyBias: bias)
        let got = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: options)
        #expect(closeness(got, Self.naive(q: q, k: k, v: v, heads: 3, scale: 0.5, bias: bias, kv: [0, 0])).maxAbs < 1e-5)
        let qc = Self.random([1, 29, 12], seed: 5)
        let k1 = slice(k, axis: 0, start: 0, length: 1), v1 = slice(v, axis: 0, start: 0, length: 1)
        let causal = scaledDotProductAttention(q: qc, k: k1, v: v1, heads: 3, scale: 0.5, options: AttentionOptions(causal: true))
        #expect(closeness(causal, Self.naive(q: qc, k: k1, v: v1, heads: 3, scale: 0.5, causal: true)).maxAbs < 1e-5)
    }

    /// The AVX-512 row tiles (64 query rows, keys in chunks of 64, output columns in fives) against the definition
    /// and the sgemm path, at sizes that leave a tail in every loop: 150 queries, 141 keys, d 7, dv 13, and queries
    /// that attend to another item's keys.
    @Test func rowTilesMatchDefinitionAndSgemmPath() {
        let q = Self.random([3, 150, 14], seed: 6), k = Self.random([2, 141, 14], seed: 7), v = Self.random([2, 141, 26], seed: 8)
        var options = AttentionOptions(keyValueSource: [1, 0, 1])
        let tiles = scaledDotProductAttention(q: q, k: k, v: v, heads: 2, scale: 0.4, options: options)
        options.allowRowTiles = false
        let sgemm = scaledDotProductAttention(q: q, k: k, v: v, heads: 2, scale: 0.4, options: options)
        let want = Self.naive(q: q, k: k, v: v, heads: 2, scale: 0.4, kv: [1, 0, 1])
        print("attention row tiles: max|Δ| = \(closeness(tiles, want).maxAbs), sgemm path \(closeness(sgemm, want).maxAbs) (tolerance 1e-5)")
        #expect(closeness(tiles, want).maxAbs < 1e-5)
        #expect(closeness(sgemm, want).maxAbs < 1e-5)
        #if arch(x86_64)
        // Where the processor lacks AVX-512 both calls take the sgemm path; say so rather than pass silently.
        if !AttentionRowTiles.isAvailable { print("rowTilesMatchDefinitionAndSgemmPath: no AVX-512 here, row tiles not exercised") }
        #endif
    }

    /// Recording maps never changes a picture: the output with an observer is bit for bit the output without,
    /// on the row tiles and on the sgemm path, and the observer sees softmax rows (after an editor's change).
    @Test func observerLeavesTheOutputAsItWas() {
        for tiles in [true, false] {
            var options = AttentionOptions()
            options.allowRowTiles = tiles
            let plain = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: options)
            let lock = NSLock()
            var rowSums: [Float] = [], firstRows: [Int: [Float]] = [:]
            options.probabilityObserver = { block in
                lock.withLock {
                    for b in 0..<block.batch { for r in 0..<block.rows {
                        let row = UnsafeBufferPointer(start: block.row(batch: b, row: r), count: block.keys)
                        rowSums.append(row.reduce(0, +))
                        if block.head == 0 && block.rowStart + r == 0 { firstRows[b] = Array(row) }
                    } }
                }
            }
            let observed = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: options)
            #expect(observed.scalars == plain.scalars)
            #expect(rowSums.count == 2 * 37 * 3 && rowSums.allSatisfy { abs($0 - 1) < 1e-5 })
            // Query 0 of head 0 against its 29 keys, by the definition.
            let q0 = q.scalars, k0 = k.scalars
            let logits = (0..<29).map { j in (0..<4).reduce(Float(0)) { $0 + q0[$1] * k0[j * 12 + $1] } * 0.5 }
            let e = logits.map { Foundation.exp($0 - logits.max()!) }
            #expect(zip(firstRows[0] ?? [], e.map { $0 / e.reduce(0, +) }).allSatisfy { abs($0 - $1) < 1e-6 })

            // With an editor that copies item 0's maps into item 1, the observer sees the copies.
            options.probabilityEditor = { block in
                for r in 0..<block.rows { block.row(batch: 1, row: r).update(from: block.row(batch: 0, row: r), count: block.keys) }
            }
            firstRows = [:]
            _ = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: options)
            #expect(firstRows[1] != nil && firstRows[1] == firstRows[0])
        }
    }

    /// An editor that copies item 0's probabilities into item 1 (Free-Prompt-Editing's map replacement)
    /// must give item 1 the output softmax(q0 k0ᵀ) v1.
    @Test func probabilityEditorCanReplaceMaps() {
        let editor: ProbabilityEditor = { block in
            for r in 0..<block.rows { block.row(batch: 1, row: r).update(from: block.row(batch: 0, row: r), count: block.keys) }
        }
        let got = scaledDotProductAttention(q: q, k: k, v: v, heads: 3, scale: 0.5, options: AttentionOptions(probabilityEditor: editor))
        // Reference: item 1 uses item 0's maps with its own values.
        let p0 = Self.naive(q: q, k: k, v: v, heads: 3, scale: 0.5)
        #expect(closeness(slice(got, axis: 0, start: 0, length: 1), slice(p0, axis: 0, start: 0, length: 1)).maxAbs < 1e-5)
        let mixedV = concat([slice(v, axis: 0, start: 1, length: 1), slice(v, axis: 0, start: 1, length: 1)], axis: 0)
        let q0 = concat([slice(q, axis: 0, start: 0, length: 1), slice(q, axis: 0, start: 0, length: 1)], axis: 0)
        let k0 = concat([slice(k, axis: 0, start: 0, length: 1), slice(k, axis: 0, start: 0, length: 1)], axis: 0)
        let want = Self.naive(q: q0, k: k0, v: mixedV, heads: 3, scale: 0.5)
        #expect(closeness(slice(got, axis: 0, start: 1, length: 1), slice(want, axis: 0, start: 1, length: 1)).maxAbs < 1e-5)
    }
}
