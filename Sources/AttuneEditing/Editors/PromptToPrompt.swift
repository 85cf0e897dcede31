// Prompt-to-Prompt (Hertz et al., 2022), the baseline: during the first steps the target's cross-attention
// maps are the source's, re-indexed to the target's tokens (word swap or refinement), and its
// self-attention maps in the smaller layers are the source's; conditional half only. Mirrors
// google/prompt-to-prompt (AttentionReplace, AttentionRefine); see Tools/fixtures/EDITING.md.
import AttuneModels
import AttuneTensor

public final class PromptToPrompt: AttentionProcessor {
    public enum Mode {
        /// Word swap: a 77x77 mapper (row-major) from source to target token positions.
        case replace(mapper: [Float])
        /// Refinement: target position j reads source position mapper[j], blended by alphas[j].
        case refine(mapper: [Int], alphas: [Float])
    }

    public let mode: Mode
    /// Cross-attention is replaced at steps i < crossSteps (int(c · (n + 1)) in P2P).
    public let crossSteps: Int
    /// Self-attention maps are replaced at steps i < selfSteps in layers of at most maxSelfTokens positions.
    public let selfSteps: Int
    public let maxSelfTokens: Int

    public init(mode: Mode, crossSteps: Int, selfSteps: Int, maxSelfTokens: Int = 32 * 32) {
        self.mode = mode
        self.crossSteps = crossSteps
        self.selfSteps = selfSteps
        self.maxSelfTokens = maxSelfTokens
    }

    /// P2P's step counts from fractions: cross int(c · (n + 1)), self int(s · n).
    public convenience init(mode: Mode, steps: Int, crossFraction: Double = 0.8, selfFraction: Double = 0.4, mapSize: Int = 32) {
        self.init(mode: mode, crossSteps: Int(crossFraction * Double(steps + 1)), selfSteps: Int(selfFraction * Double(steps)),
                  maxSelfTokens: mapSize * mapSize)
    }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        var c = call
        switch call.site.kind {
        case .selfAttention:
            guard call.step.index < selfSteps, call.height * call.width <= maxSelfTokens else { return next(call) }
            c.options.probabilityEditor = replaceConditionalMaps(layout: call.layout, chained: call.options.probabilityEditor)
        case .crossAttention:
            guard call.step.index < crossSteps else { return next(call) }
            c.options.probabilityEditor = remapCrossAttention(layout: call.layout, chained: call.options.probabilityEditor)
        }
        return next(c)
    }

    func remapCrossAttention(layout: BatchLayout, chained: ProbabilityEditor?) -> ProbabilityEditor {
        let source = layout.index(branch: 0)
        let targets = (1..<layout.branches).map { layout.index(branch: $0) }
        let mode = self.mode
        return { block in
            chained?(block)
            let keys = block.keys
            for t in targets {
                for r in 0..<block.rows {
                    let s = block.row(batch: source, row: r), dst = block.row(batch: t, row: r)
                    switch mode {
                    case .replace(let m):
                        precondition(keys == TokenAlignment.length, "PromptToPrompt: cross-attention over \(keys) tokens, mapper has 77")
                        for n in 0..<keys {
                            var acc: Float = 0
                            for w in 0..<keys where m[w * keys + n] != 0 { acc += s[w] * m[w * keys + n] }
                            dst[n] = acc
                        }
                    case .refine(let mapper, let alphas):
                        for n in 0..<keys { dst[n] = s[mapper[n]] * alphas[n] + dst[n] * (1 - alphas[n]) }
                    }
                }
            }
        }
    }
}
