// MaSaFusion (mask-informed self-attention fusion; arXiv 2405.15313, no reference code): inside the edit
// mask A the target's self-attention takes its structure from elsewhere (the source's keys and values in
// Algorithm 5; the T2I-Adapter intermediate image's attention map over the target's values in Algorithm 1),
// outside A it is the source's attention output. The per-pixel composite of the two noise predictions is
// done by the edit loop; see Tools/fixtures/EDITING.md.
import AttuneModels
import AttuneTensor

public final class MaskedSelfAttentionFusion: AttentionProcessor {
    /// Branch roles in the batch.
    public struct Branches: Sendable {
        public let source: Int
        /// Source prompt, self-attention outputs replaced by the source's (ε̄).
        public let outside: [Int]
        /// Target prompt, self-attention Attn(Q_t, K_s, V_s) (Algorithm 5).
        public let mutual: [Int]
        /// (intermediate, target): target self-attention softmax(Q_int K_intᵀ) V_target (Algorithm 1).
        public let intermediateMap: [(map: Int, values: Int)]

        /// Algorithm 5: [source, target outside A, target inside A].
        public static let withoutAdapter = Branches(source: 0, outside: [1], mutual: [2], intermediateMap: [])
        /// Algorithm 1: [source, intermediate outside A, intermediate inside A, target outside A, target inside A].
        public static let withAdapter = Branches(source: 0, outside: [1, 3], mutual: [], intermediateMap: [(2, 4)])
    }

    public let branches: Branches
    /// Fusion applies at steps i < fusionSteps.
    public let fusionSteps: Int

    public init(branches: Branches, fusionSteps: Int) {
        self.branches = branches
        self.fusionSteps = fusionSteps
    }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard call.site.kind == .selfAttention, call.step.index < fusionSteps else { return next(call) }
        var c = call
        var sources = Array(0..<call.layout.batchSize)
        for half in call.layout.halves { for b in branches.mutual { sources[half[b]] = half[branches.source] } }
        c.options.keyValueSource = sources
        var out = next(c)
        for half in call.layout.halves {
            let sourceOut = out.item(half[branches.source])
            for b in branches.outside { out = out.replacingItem(half[b], with: sourceOut) }
            for pair in branches.intermediateMap {
                let fused = scaledDotProductAttention(q: call.q.item(half[pair.map]), k: call.k.item(half[pair.map]),
                                                      v: call.v.item(half[pair.values]), heads: call.site.heads, scale: call.scale)
                out = out.replacingItem(half[pair.values], with: fused)
            }
        }
        return out
    }
}
