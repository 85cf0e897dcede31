// How each method is laid out for the edit loop: its branches (prompts, starting latents, pinned
// trajectories), attention processors, and noise or latent hooks. See Tools/fixtures/EDITING.md.
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

struct MethodPlan {
    var branches: [Branch]
    var processors: [AttentionProcessor]
    var sourceBranch: Int
    var targetBranch: Int
    var adapterFeatures: [Tensor]?
    var noiseHook: ((inout Tensor, DenoisingStep) -> Void)?
    var latentHook: ((inout Tensor, DenoisingStep) -> Void)?
    /// The leading branches that do not depend on the others, what identifies them, and what the method
    /// reads from them (for the live-tuning cache).
    var fixedBranches = 1
    var fixedKey = ""
    var reads = FixedBranchReads.everything

    static func make(_ r: EditRecord, source: PreparedSource, model: StableDiffusion, inversions: InversionCache) throws -> MethodPlan {
        let context = PlanContext(record: r, source: source, model: model, inversions: inversions)
        var plan: MethodPlan
        switch r.method {
        case .masactrl: plan = try context.masactrl()
        case .fpe:
            plan = context.sourceAndTarget([SelfAttentionMapReplacement(fraction: r.selfReplaceFraction, steps: r.steps)])
            plan.reads = FixedBranchReads(selfQuery: { $0.kind == .selfAttention && $1 <= 32 * 32 }, selfKeyValue: { $0.kind == .selfAttention && $1 <= 32 * 32 })
        case .p2p:
            plan = try context.promptToPrompt()
            plan.reads = FixedBranchReads(selfQuery: { _, n in n <= 32 * 32 }, selfKeyValue: { _, n in n <= 32 * 32 }, crossQuery: { _, _ in true })
        case .mcactrl: plan = try context.mcactrl()
        case .masafusion: plan = try context.masafusion()
        }
        plan.fixedKey += "\(source.key)|pinned=\(r.pinSource && source.trajectory != nil)"
        return plan
    }
}

/// The pieces every plan is made from.
struct PlanContext {
    let record: EditRecord
    let source: PreparedSource
    let model: StableDiffusion
    let inversions: InversionCache
    let negative: Tensor
    let sourceEmbedding: Tensor
    let targetEmbedding: Tensor
    var latentHeight: Int { source.start.dim(2) }
    var latentWidth: Int { source.start.dim(3) }

    init(record: EditRecord, source: PreparedSource, model: StableDiffusion, inversions: InversionCache) {
        self.record = record
        self.source = source
        self.model = model
        self.inversions = inversions
        let (e, _) = model.encodePrompts([record.negativePrompt, record.sourcePrompt, record.targetPrompt])
        negative = e.item(0)
        sourceEmbedding = e.item(1)
        targetEmbedding = e.item(2)
    }

    /// The source branch: source prompt, x_T, pinned to the inversion when asked.
    var sourceBranch: Branch {
        Branch(unconditional: negative, conditional: sourceEmbedding, start: source.start, pinned: record.pinSource ? source.trajectory : nil)
    }

    func branch(_ embedding: Tensor, start: Tensor? = nil) -> Branch {
        Branch(unconditional: negative, conditional: embedding, start: start ?? source.start)
    }

    func sourceAndTarget(_ processors: [AttentionProcessor]) -> MethodPlan {
        MethodPlan(branches: [sourceBranch, branch(targetEmbedding)], processors: processors, sourceBranch: 0, targetBranch: 1)
    }

    /// Another picture inverted like the source (MCA-Ctrl's subject), with its own prompt.
    func invert(_ url: URL, prompt: String) throws -> PreparedSource {
        var r = record
        r.sourceImage = url
        r.sourcePrompt = prompt
        r.latentsIn = nil
        return try inversions.prepared(r, progress: nil).0
    }

    /// A mask file at image size, then at latent size (nearest), for latent-space compositing.
    func mask(_ url: URL, dilation: Int = 0) throws -> Mask {
        let m = try MaskInput.read(url, original: source.originalSize, width: record.width, height: record.height)
        return dilation > 0 ? m.dilated(iterations: dilation) : m
    }

    func latentMask(_ m: Mask) -> Mask { m.resized(height: latentHeight, width: latentWidth) }

    /// The target token's position in the source prompt, by the refinement alignment (same position if new).
    func sourceToken(for targetToken: Int) -> Int {
        let (mapper, alphas) = TokenAlignment.refinementMapper(source: record.sourcePrompt, target: record.targetPrompt, tokenizer: model.tokenizer)
        return alphas[targetToken] > 0 ? mapper[targetToken] : targetToken
    }

    // MARK: - Methods

    func masactrl() throws -> MethodPlan {
        var masks = MutualSelfAttention.Masks.none
        var processors: [AttentionProcessor] = []
        if let url = record.mask {
            let m = try mask(url)
            masks = .given(source: m, target: try record.targetMask.map { try mask($0) } ?? m)
        } else if let token = record.maskToken {
            let recorder = AttentionMapRecorder.crossAttention(level: 2)
            processors.append(recorder)
            masks = .crossAttention(sourceTokens: [sourceToken(for: token)], targetTokens: [token],
                                    threshold: Float(record.maskThreshold), recorder: recorder)
        }
        processors.append(MutualSelfAttention(startStep: record.startStep, startLayer: record.startLayer,
                                              endStep: record.endStep ?? record.steps, endLayer: record.endLayer ?? 16, masks: masks))
        var plan = sourceAndTarget(processors)
        // Target queries read the source's keys and values; masks from cross-attention read its level-2 queries.
        plan.reads = FixedBranchReads(selfKeyValue: { _, _ in true }, crossQuery: { site, _ in site.level == 2 })
        return plan
    }

    func promptToPrompt() throws -> MethodPlan {
        let tokenizer = model.tokenizer
        let mode: PromptToPrompt.Mode
        switch record.p2pMode {
        case .replace:
            mode = .replace(mapper: try TokenAlignment.replacementMapper(source: record.sourcePrompt, target: record.targetPrompt, tokenizer: tokenizer))
        case .refine:
            let (mapper, alphas) = TokenAlignment.refinementMapper(source: record.sourcePrompt, target: record.targetPrompt, tokenizer: tokenizer)
            mode = .refine(mapper: mapper, alphas: alphas)
        }
        return sourceAndTarget([PromptToPrompt(mode: mode, steps: record.steps, crossFraction: record.crossReplaceFraction,
                                               selfFraction: record.selfReplaceFraction)])
    }
}
