// Multi-head scaled-dot-product attention in token layout ([B, N, heads * d]) that never holds
// the whole score matrix: work is split into (head, block of query rows) items, one per core
// with single-threaded sgemm inside. Keys are taken whole (so that an editor can see exact
// softmax rows) unless they are longer than `fullRowKeyLimit`, where an online softmax over key
// blocks (FlashAttention's recurrence) keeps memory bounded.

/// The attention probabilities of one (head, query-row block) for every batch item,
/// handed to a `ProbabilityEditor` between softmax and the product with V.
public struct ProbabilityBlock {
    public let head: Int
    public let rowStart: Int
    public let rows: Int
    public let keys: Int
    public let batch: Int
    /// probabilities[b * rows * keys + r * keys + j] = P(item b, query rowStart + r, key j).
    public let probabilities: UnsafeMutablePointer<Float>

    public func row(batch b: Int, row r: Int) -> UnsafeMutablePointer<Float> {
        probabilities + (b * rows + r) * keys
    }
}

/// Sees (and may rewrite) attention probabilities. Called concurrently for different heads and row blocks.
public typealias ProbabilityEditor = (ProbabilityBlock) -> Void
/// Sees attention probabilities (after any editor) and leaves them alone; the output is computed exactly as
/// without it (recording maps never changes a picture). Called concurrently for different heads and row blocks.
public typealias ProbabilityObserver = (ProbabilityBlock) -> Void

public struct AttentionOptions {
    /// Batch item b attends to the keys and values of item `keyValueSource[b]` (MasaCtrl's mutual attention
    /// without copying K/V). Default: itself, or item 0 when K/V have batch 1.
    public var keyValueSource: [Int]?
    /// Additive score bias per key, [B, Nk] (row b for query item b), applied after scaling.
    public var keyBias: Tensor?
    public var probabilityEditor: ProbabilityEditor?
    public var probabilityObserver: ProbabilityObserver?
    /// Query i attends only to keys j <= i (CLIP's causal text encoder).
    public var causal = false
    /// Longest key sequence handled with whole softmax rows; longer ones use the online softmax
    /// (which cannot offer probabilities to an editor).
    public var fullRowKeyLimit: Int = 8192
    /// Keys per block of the online softmax.
    public var keyBlock: Int = 1024
    /// Use the AVX-512 row tiles (AttentionRowTiles) where the processor has them and no editor, bias or mask is
    /// set; false forces the sgemm path (tests compare the two).
    public var allowRowTiles = true

    public init(keyValueSource: [Int]? = nil, keyBias: Tensor? = nil, probabilityEditor: ProbabilityEditor? = nil, causal: Bool = false) {
        self.keyValueSource = keyValueSource
        self.keyBias = keyBias
        self.probabilityEditor = probabilityEditor
        self.causal = causal
    }
}

/// softmax(q kᵀ * scale + bias) v per head. q: [B, Nq, H*d], k: [Bk, Nk, H*d], v: [Bk, Nk, H*dv] -> [B, Nq, H*dv].
public func scaledDotProductAttention(
    q: Tensor, k: Tensor, v: Tensor, heads: Int, scale: Float, options: AttentionOptions = AttentionOptions()
) -> Tensor {
    OpProfile.measure("attention", shape: "\(q.shape) kv \(k.shape[0..<2]) heads \(heads)",
                      flops: 2 * Double(q.count / max(q.shape.last ?? 1, 1) * k.shape[1]) * Double(q.shape.last! + v.shape.last!)) {
        let q = q.widened(), k = k.widened(), v = v.widened()
        precondition(q.rank == 3 && k.rank == 3 && v.rank == 3, "attention: q, k, v must be [B, N, C], got \(q.shape), \(k.shape), \(v.shape)")
        let (batch, nq, cq) = (q.shape[0], q.shape[1], q.shape[2])
        let (bk, nk, ck) = (k.shape[0], k.shape[1], k.shape[2])
        let cv = v.shape[2]
        precondition(v.shape[0] == bk && v.shape[1] == nk, "attention: k \(k.shape) and v \(v.shape) disagree")
        precondition(cq == ck, "attention: q has \(cq) channels, k has \(ck)")
        precondition(heads > 0 && cq % heads == 0 && cv % heads == 0, "attention: \(cq)/\(cv) channels do not split into \(heads) heads")
        precondition(scale > 0, "attention: scale must be positive")
        let d = cq / heads, dv = cv / heads
        let kvSource = options.keyValueSource ?? (0..<batch).map { bk == 1 ? 0 : $0 }
        precondition(kvSource.count == batch && kvSource.allSatisfy { $0 >= 0 && $0 < bk },
                     "attention: keyValueSource \(kvSource) must name one of \(bk) K/V items for each of \(batch) queries")
        let bias = options.keyBias?.widened()
        if let bias { precondition(bias.shape == [batch, nk], "attention: keyBias must be [\(batch), \(nk)], got \(bias.shape)") }
        precondition((options.probabilityEditor == nil && options.probabilityObserver == nil) || nk <= options.fullRowKeyLimit,
                     "attention: probabilities need whole rows, but \(nk) keys exceed fullRowKeyLimit \(options.fullRowKeyLimit)")

        FLOPCounter.add(2 * Double(batch * nq * nk) * Double(cq + cv))
        var out = Tensor(uninitialized: [batch, nq, cv])
        let pq = q.floats.baseAddress!, pk = k.floats.baseAddress!, pv = v.floats.baseAddress!
        let po = out.mutableFloats.baseAddress!
        let pbias = bias?.floats.baseAddress

        let editor = options.probabilityEditor, observer = options.probabilityObserver
        let online = nk > options.fullRowKeyLimit
        let keysPerPass = online ? min(options.keyBlock, nk) : nk
        // Rows per item: the batch's score block should stay within ~4 MB (measured best for 4096 keys),
        // and items should outnumber cores.
        var rows = max(16, min(256, (4 << 20) / max(4 * batch * keysPerPass, 1)))
        while rows > 16 && heads * ((nq + rows - 1) / rows) < 4 * coreCount { rows /= 2 }
        rows = min(rows, nq)
        let blocks = (nq + rows - 1) / rows

        /// Softmax rows of scale * q kᵀ (+ bias, mask) for head h, rows r0..<r0+nr of every item, into scores
        /// [b][r][key]; normalised, or left as exponentials with their sums in `sums`.
        func softmaxBlock(h: Int, r0: Int, nr: Int, scores: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>, normalize: Bool) {
            for b in 0..<batch {
                let s = scores + b * nr * nk
                BLAS.gemm(transB: true, m: nr, n: nk, k: d, alpha: scale,
                          a: pq + (b * nq + r0) * cq + h * d, lda: cq,
                          b: pk + kvSource[b] * nk * ck + h * d, ldb: ck, c: s, ldc: nk, parallel: false)
                if let pbias { addRowBias(s, rows: nr, keys: nk, bias: pbias + b * nk) }
                if options.causal { maskFutureKeys(s, rows: nr, keys: nk, rowStart: r0, keyStart: 0) }
                for r in 0..<nr { sums[b * nr + r] = softmaxRow(s + r * nk, count: nk, normalize: normalize) }
            }
        }

        var tiled = false
        #if arch(x86_64)
        if options.allowRowTiles && AttentionRowTiles.isAvailable && editor == nil && bias == nil && !options.causal && nk > 0 {
            AttentionRowTiles.attention(q: pq, k: pk, v: pv, out: po, batch: batch, nq: nq, nk: nk, heads: heads, d: d, dv: dv,
                                        kvSource: kvSource, scale: scale)
            tiled = true
        }
        #endif
        if !tiled {
            parallelEach(heads * blocks) { item in
                let h = item / blocks, r0 = (item % blocks) * rows
                let nr = min(rows, nq - r0)
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: batch * nr * keysPerPass)
                defer { scores.deallocate() }
                if online {
                    for b in 0..<batch {
                        onlineSoftmaxAttention(
                            q: pq + (b * nq + r0) * cq + h * d, ldq: cq,
                            k: pk + kvSource[b] * nk * ck + h * d, ldk: ck,
                            v: pv + kvSource[b] * nk * cv + h * dv, ldv: cv,
                            out: po + (b * nq + r0) * cv + h * dv, ldo: cv,
                            rows: nr, keys: nk, d: d, dv: dv, scale: scale,
                            bias: pbias.map { $0 + b * nk }, causalRowStart: options.causal ? r0 : nil,
                            keyBlock: keysPerPass, scratch: scores)
                    }
                    return
                }
                // Without an editor the softmax is left unnormalised and its 1/sum scales the output rows instead.
                let sums = UnsafeMutablePointer<Float>.allocate(capacity: batch * nr)
                defer { sums.deallocate() }
                softmaxBlock(h: h, r0: r0, nr: nr, scores: scores, sums: sums, normalize: editor != nil)
                if let editor {
                    let block = ProbabilityBlock(head: h, rowStart: r0, rows: nr, keys: nk, batch: batch, probabilities: scores)
                    editor(block)
                    observer?(block)
                } else if let observer {
                    // The observer gets normalised copies (softmaxRow's own 1/sum scaling); the output uses the exps.
                    let copy = UnsafeMutablePointer<Float>.allocate(capacity: batch * nr * nk)
                    defer { copy.deallocate() }
                    copy.update(from: scores, count: batch * nr * nk)
                    for i in 0..<(batch * nr) { scaleRow(copy + i * nk, count: nk, by: sums[i] > 0 ? 1 / sums[i] : 0) }
                    observer(ProbabilityBlock(head: h, rowStart: r0, rows: nr, keys: nk, batch: batch, probabilities: copy))
                }
                for b in 0..<batch {
                    let o = po + (b * nq + r0) * cv + h * dv
                    BLAS.gemm(m: nr, n: dv, k: nk, a: scores + b * nr * nk, lda: nk,
                              b: pv + kvSource[b] * nk * cv + h * dv, ldb: cv, c: o, ldc: cv, parallel: false)
                    if editor == nil {
                        for r in 0..<nr { scaleRow(o + r * cv, count: dv, by: sums[b * nr + r] > 0 ? 1 / sums[b * nr + r] : 0) }
                    }
                }
            }
        }
        // The row tiles never hold whole softmax rows: an observer gets them from a pass of its own, and the output
        // stays the one computed without it.
        if tiled, let observer {
            parallelEach(heads * blocks) { item in
                let h = item / blocks, r0 = (item % blocks) * rows
                let nr = min(rows, nq - r0)
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: batch * nr * nk)
                let sums = UnsafeMutablePointer<Float>.allocate(capacity: batch * nr)
                defer { scores.deallocate(); sums.deallocate() }
                softmaxBlock(h: h, r0: r0, nr: nr, scores: scores, sums: sums, normalize: true)
                observer(ProbabilityBlock(head: h, rowStart: r0, rows: nr, keys: nk, batch: batch, probabilities: scores))
            }
        }
        return out
    }
}

@inline(always)
func addRowBias(_ s: UnsafeMutablePointer<Float>, rows: Int, keys: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
        let row = s + r * keys
        for j in 0..<keys { row[j] += bias[j] }
    }
}

/// Sets scores of keys after each query's own position to -inf (rows and keys given by their absolute starts).
@inline(always)
func maskFutureKeys(_ s: UnsafeMutablePointer<Float>, rows: Int, keys: Int, rowStart: Int, keyStart: Int) {
    for r in 0..<rows {
        let first = max(0, rowStart + r + 1 - keyStart)
        if first < keys { (s + r * keys + first).update(repeating: -.infinity, count: keys - first) }
    }
}

/// One query block against all keys, visiting keys in blocks with a running max and sum.
func onlineSoftmaxAttention(
    q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int, v: UnsafePointer<Float>, ldv: Int,
    out: UnsafeMutablePointer<Float>, ldo: Int, rows: Int, keys: Int, d: Int, dv: Int, scale: Float,
    bias: UnsafePointer<Float>?, causalRowStart: Int?, keyBlock: Int, scratch s: UnsafeMutablePointer<Float>
) {
    let acc = UnsafeMutablePointer<Float>.allocate(capacity: rows * dv)
    let runMax = UnsafeMutablePointer<Float>.allocate(capacity: rows)
    let runSum = UnsafeMutablePointer<Float>.allocate(capacity: rows)
    defer { acc.deallocate(); runMax.deallocate(); runSum.deallocate() }
    acc.update(repeating: 0, count: rows * dv)
    runMax.update(repeating: -.infinity, count: rows)
    runSum.update(repeating: 0, count: rows)
    var j0 = 0
    while j0 < keys {
        let nb = min(keyBlock, keys - j0)
        BLAS.gemm(transB: true, m: rows, n: nb, k: d, alpha: scale, a: q, lda: ldq, b: k + j0 * ldk, ldb: ldk, c: s, ldc: nb, parallel: false)
        if let bias { addRowBias(s, rows: rows, keys: nb, bias: bias + j0) }
        if let causalRowStart { maskFutureKeys(s, rows: rows, keys: nb, rowStart: causalRowStart, keyStart: j0) }
        for r in 0..<rows {
            let row = s + r * nb
            var m = runMax[r]
            for j in 0..<nb { m = max(m, row[j]) }
            if m == -.infinity {
                row.update(repeating: 0, count: nb)
                continue
            }
            // Rescale what was accumulated under the old maximum.
            let correction = VectorMath.exp(runMax[r] - m)
            var blockSum: Float = 0
            mapVectorized(UnsafePointer(row), row, count: nb) { VectorMath.exp($0 - m) }
            for j in 0..<nb { blockSum += row[j] }
            runSum[r] = runSum[r] * correction + blockSum
            let a = acc + r * dv
            for c in 0..<dv { a[c] *= correction }
            runMax[r] = m
        }
        BLAS.gemm(m: rows, n: dv, k: nb, a: s, lda: nb, b: v + j0 * ldv, ldb: ldv, beta: 1, c: acc, ldc: dv, parallel: false)
        j0 += nb
    }
    for r in 0..<rows {
        let inv: Float = runSum[r] > 0 ? 1 / runSum[r] : 0
        for c in 0..<dv { out[r * ldo + c] = acc[r * dv + c] * inv }
    }
}
