// MCA-Ctrl's layouts: replacement/addition with an image condition ([condition, subject, target], the
// target reset to the condition outside the edit region after every step), and subject generation from
// text ([subject, target], the edit region from the target's own cross-attention).
import AttuneModels
import AttuneTensor
import Foundation

extension PlanContext {
    func mcactrl() throws -> MethodPlan {
        guard let subjectURL = record.subjectImage else {
            throw EditRecordError.missing(key: "[subject] image", reason: "MCA-Ctrl takes the subject from a picture")
        }
        let subjectPrompt = record.subjectPrompt ?? ""
        let subject = try invert(subjectURL, prompt: subjectPrompt)
        let (e, _) = model.encodePrompts([subjectPrompt])
        let subjectBranch = Branch(unconditional: negative, conditional: e, start: subject.start, pinned: subject.trajectory)
        let subjectMask = try record.subjectMask.map {
            try MaskInput.read($0, original: subject.originalSize, width: record.width, height: record.height)
        } ?? Mask(filling: 1, height: record.height, width: record.width)
        let sagi = (record.mcaSAGIStart ?? 0)..<(record.mcaSAGIEnd ?? Int(0.1 * Double(record.steps)))
        let salqStart = record.mcaSALQStart ?? record.startStep, salqEnd = record.mcaSALQEnd ?? record.steps

        if generating {
            guard let token = record.maskToken else {
                throw EditRecordError.missing(key: "[mask] token", reason: "subject generation finds the subject's place from a target-prompt token")
            }
            // The running mean over all steps so far of the level-2 maps of the target's token, min-max normalised at
            // map size, resized to the layer, and its top 30% set to 1 there.
            let recorder = AttentionMapRecorder.crossAttention(level: 2)
            let editor = MultiPartyAttention(branches: .textCondition, sagiSteps: sagi, salqStartStep: salqStart, salqEndStep: salqEnd,
                                             salqStartLayer: record.startLayer,
                                             subjectMask: subjectMask) { call in
                AttentionMapRecorder.tokenMap(recorder.records, item: call.layout.index(branch: 1), tokens: [token])?
                    .normalized.resized(height: call.height, width: call.width).topFractionSet(0.3)
            }
            var plan = MethodPlan(branches: [subjectBranch, branch(targetEmbedding)], processors: [recorder, editor], sourceBranch: 0, targetBranch: 1)
            plan.fixedKey = "subject \(subject.key)|"
            return plan
        }

        guard let maskURL = record.mask else {
            throw EditRecordError.missing(key: "[mask] path", reason: "MCA-Ctrl replacement and addition need the edit region in the source picture")
        }
        let region = try mask(maskURL, dilation: record.maskDilation)
        let editor = MultiPartyAttention(branches: .imageCondition, sagiSteps: sagi, salqStartStep: salqStart, salqEndStep: salqEnd,
                                         salqStartLayer: record.startLayer,
                                         subjectMask: subjectMask) { _ in region }
        var plan = MethodPlan(branches: [sourceBranch, subjectBranch, branch(targetEmbedding)], processors: [editor], sourceBranch: 0, targetBranch: 2)
        plan.fixedBranches = 2
        plan.fixedKey = "subject \(subject.key)|"
        // Outside the edit region the target is the condition picture at the same noise level.
        let blend = latentMask(region)
        let trajectory = record.pinSource ? source.trajectory : nil
        let steps = record.steps
        plan.latentHook = { x, step in
            let condition = trajectory?[steps - 1 - step.index] ?? x.item(0)
            x = x.replacingItem(2, with: x.item(2).blended(with: condition, mask: blend))
        }
        return plan
    }

    /// Subject generation: the target is drawn from noise (a seed), not from a source picture.
    var generating: Bool { record.variant == "generate" || (record.variant == nil && record.sourceImage == nil) }
}
