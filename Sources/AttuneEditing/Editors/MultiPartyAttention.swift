// MCA-Ctrl (Yang et al., CVPR 2025): subject, condition and target branches in one batch. SAGI (global
// injection, early steps, every self-attention layer) gives the target the subject's own attention inside
// the edit region and the condition's own attention outside; SALQ (local query, later steps, from a layer
// on) does the same with the target's queries. Mirrors yanghan-yh/MCA-Ctrl mcactrl/mca_p2p.py
// (McaControlReplace, McaControlGeneration); see Tools/fixtures/EDITING.md.
import AttuneModels
import AttuneTensor

public final class MultiPartyAttention: AttentionProcessor {
    public struct Branches: Sendable {
        public let condition: Int
        public let subject: Int
        public let target: Int

        /// Replacement and addition: [condition scene, subject image, target].
        public static let imageCondition = Branches(condition: 0, subject: 1, target: 2)
        /// Subject generation: [subject, target]; the target is its own condition.
        public static let textCondition = Branches(condition: 1, subject: 0, target: 1)
    }

    public let branches: Branches
    /// Global injection (SAGI) steps.
    public let sagiSteps: Range<Int>
    /// Local query (SALQ) at steps salqStartStep..<salqEndStep from block salqStartLayer on (SAGI wins where both apply).
    public let salqStartStep: Int
    public let salqEndStep: Int
    public let salqStartLayer: Int
    public let subjectMask: Mask
    /// The edit region (dilated condition mask), fixed or derived per call (subject generation).
    public let conditionMask: (AttentionCall) -> Mask?

    public init(branches: Branches, sagiSteps: Range<Int>, salqStartStep: Int, salqEndStep: Int = .max, salqStartLayer: Int,
                subjectMask: Mask, conditionMask: @escaping (AttentionCall) -> Mask?) {
        self.branches = branches
        self.sagiSteps = sagiSteps
        self.salqStartStep = salqStartStep
        self.salqEndStep = salqEndStep
        self.salqStartLayer = salqStartLayer
        self.subjectMask = subjectMask
        self.conditionMask = conditionMask
    }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard call.site.kind == .selfAttention else { return next(call) }
        let sagi = sagiSteps.contains(call.step.index)
        let salq = !sagi && call.step.index >= salqStartStep && call.step.index < salqEndStep && call.site.block >= salqStartLayer
        guard sagi || salq, let mc = conditionMask(call) else { return next(call) }
        var out = next(call)
        let m = call.resized(mc)
        for half in call.layout.halves {
            let subject = half[branches.subject], condition = half[branches.condition], target = half[branches.target]
            // SAGI: each party's own attention; SALQ: the target's queries against each party's keys.
            let fg = call.attend(query: sagi ? subject : target, keys: subject, keyMask: subjectMask)
            let bg = call.attend(query: sagi ? condition : target, keys: condition, keyMask: mc.inverted)
            out = out.replacingItem(target, with: fg.scaledRows(m) + bg.scaledRows(m.map { 1 - $0 }))
        }
        return out
    }
}

extension Mask {
    /// MCA-Ctrl's mask from a (normalised) cross-attention map: the top `fraction` of positions set to 1, the rest
    /// kept soft; ties go to the earlier position.
    public func topFractionSet(_ fraction: Float) -> Mask {
        let k = Int(fraction * Float(values.count))
        var v = values
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        for i in order.prefix(k) { v[i] = 1 }
        return Mask(height: height, width: width, values: v)
    }
}
