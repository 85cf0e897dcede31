// MasaCtrl's mutual self-attention (Cao et al., ICCV 2023): from step S and transformer block L on, the
// target's queries read the source image's keys and values, so the target keeps the source's content
// while following its own prompt's layout. Optionally restricted by masks, given or taken from
// cross-attention maps. Mirrors MasaCtrl's masactrl/masactrl.py (MutualSelfAttentionControl, ...Mask,
// ...MaskAuto); see Tools/fixtures/EDITING.md.
import AttuneModels
import AttuneTensor

public final class MutualSelfAttention: AttentionProcessor {
    public enum Masks {
        case none
        /// Source foreground (keys) and target foreground (composite).
        case given(source: Mask, target: Mask)
        /// From the cross-attention maps of the chosen token positions, binarised at `threshold`.
        case crossAttention(sourceTokens: [Int], targetTokens: [Int], threshold: Float, recorder: AttentionMapRecorder)
    }

    public let startStep: Int
    public let startLayer: Int
    /// Steps from `endStep` on and blocks from `endLayer` on are left alone.
    public let endStep: Int
    public let endLayer: Int
    public let masks: Masks

    /// Branch 0 of the batch is the source; every other branch is edited.
    public init(startStep: Int = 4, startLayer: Int = 10, endStep: Int = .max, endLayer: Int = 16, masks: Masks = .none) {
        self.startStep = startStep
        self.startLayer = startLayer
        self.endStep = endStep
        self.endLayer = endLayer
        self.masks = masks
    }

    /// The recorder a `.crossAttention` mask needs in the processor chain (before this editor), if any.
    public var recorder: AttentionMapRecorder? {
        if case .crossAttention(_, _, _, let r) = masks { return r }
        return nil
    }

    func applies(_ call: AttentionCall) -> Bool {
        call.site.kind == .selfAttention && call.step.index >= startStep && call.step.index < endStep
            && call.site.block >= startLayer && call.site.block < endLayer
    }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard applies(call) else { return next(call) }
        let layout = call.layout
        guard let (sourceMask, targetMask) = currentMasks(call) else {
            // Every image attends to the source of its own guidance half.
            var c = call
            c.options.keyValueSource = (0..<layout.batchSize).map { $0 < layout.branches ? 0 : (layout.guided ? layout.branches : 0) }
            return next(c)
        }
        var out = next(call)
        let mt = call.resized(targetMask)
        for half in layout.halves {
            let source = half[0]
            for target in half.dropFirst() {
                let fg = call.attend(query: target, keys: source, keyMask: sourceMask)
                let bg = call.attend(query: target, keys: source, keyMask: sourceMask.inverted)
                out = out.replacingItem(target, with: fg.scaledRows(mt) + bg.scaledRows(mt.map { 1 - $0 }))
            }
        }
        return out
    }

    /// (source mask, target mask) for this call, or nil for plain mutual attention.
    func currentMasks(_ call: AttentionCall) -> (Mask, Mask)? {
        switch masks {
        case .none:
            return nil
        case .given(let s, let t):
            return (s, t)
        case .crossAttention(let sourceTokens, let targetTokens, let threshold, let recorder):
            // The maps recorded so far in this step; before the first one, those of the previous step.
            let step = call.step.index
            let all = recorder.records
            var records = all.filter { $0.step.index == step }
            if records.isEmpty { records = all.filter { $0.step.index == step - 1 } }
            let layout = call.layout
            guard let s = AttentionMapRecorder.tokenMap(records, item: layout.index(branch: 0), tokens: sourceTokens),
                  let t = AttentionMapRecorder.tokenMap(records, item: layout.index(branch: layout.branches - 1), tokens: targetTokens)
            else { return nil }
            recorder.removeSteps(before: step - 1)
            return (s.normalized.binarized(threshold: threshold), t.normalized.binarized(threshold: threshold))
        }
    }
}
