// Free-Prompt-Editing (Liu et al., CVPR 2024): during the first steps the target's self-attention maps are
// replaced by the source's in the layers of at most r x r positions, on the conditional half only; the
// target keeps its own values and its own cross-attention. Mirrors FPE's Freeprompt/freeprompt.py
// (SelfAttentionControlEdit); see Tools/fixtures/EDITING.md.
import AttuneModels
import AttuneTensor

public final class SelfAttentionMapReplacement: AttentionProcessor {
    /// Steps i < replaceSteps are edited (⌊n · τ⌋ for a fraction τ).
    public let replaceSteps: Int
    /// Layers with at most maxTokens query positions are edited (32² in the reference).
    public let maxTokens: Int

    public init(replaceSteps: Int, maxTokens: Int = 32 * 32) {
        self.replaceSteps = replaceSteps
        self.maxTokens = maxTokens
    }

    /// τ = 0.8 for real images, as FPE's notebooks.
    public convenience init(fraction: Double, steps: Int, mapSize: Int = 32) {
        self.init(replaceSteps: Int(Double(steps) * fraction), maxTokens: mapSize * mapSize)
    }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard call.site.kind == .selfAttention, call.step.index < replaceSteps, call.height * call.width <= maxTokens else {
            return next(call)
        }
        var c = call
        c.options.probabilityEditor = replaceConditionalMaps(layout: call.layout, chained: call.options.probabilityEditor)
        return next(c)
    }
}

/// A probability editor that copies the conditional source's maps into every other conditional branch
/// (P2P/FPE edit `attn[h // 2:]`, the conditional half).
func replaceConditionalMaps(layout: BatchLayout, chained: ProbabilityEditor?) -> ProbabilityEditor {
    let source = layout.index(branch: 0)
    let targets = (1..<layout.branches).map { layout.index(branch: $0) }
    return { block in
        chained?(block)
        for t in targets {
            for r in 0..<block.rows { block.row(batch: t, row: r).update(from: block.row(batch: source, row: r), count: block.keys) }
        }
    }
}
