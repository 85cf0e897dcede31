// MaSaFusion's layouts (arXiv 2405.15313): Algorithm 5 without an adapter ([source, target outside A,
// target inside A]), Algorithm 1 with a T2I-Adapter intermediate image ([source, intermediate outside,
// intermediate inside, target outside, target inside]), and EmbCtrl (Algorithm 4: the target prompt's
// changed token embeddings spliced into the source prompt's embedding).
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

extension PlanContext {
    func masafusion() throws -> MethodPlan {
        if record.variant == "embctrl" {
            var plan = MethodPlan(branches: [sourceBranch, branch(splicedEmbedding())], processors: [], sourceBranch: 0, targetBranch: 1)
            plan.reads = FixedBranchReads()  // the target reads nothing from the source
            return plan
        }
        guard let maskURL = record.mask else {
            throw EditRecordError.missing(key: "[mask] path", reason: "MaSaFusion fuses inside a mask A drawn on the source picture")
        }
        let a = latentMask(try mask(maskURL))
        let fusionSteps = record.fusionSteps ?? record.steps
        guard let adapterURL = record.adapter, let conditionURL = record.condition else {
            var plan = MethodPlan(branches: [sourceBranch, branch(sourceEmbedding), branch(targetEmbedding)],
                                  processors: [MaskedSelfAttentionFusion(branches: .withoutAdapter, fusionSteps: fusionSteps)],
                                  sourceBranch: 0, targetBranch: 2)
            plan.noiseHook = { eps, _ in eps = Self.fused(eps, outside: 1, inside: 2, mask: a) }
            return plan
        }
        // Algorithm 1: a fresh-noise intermediate image guided by the adapter; the target starts from the
        // source's x_T outside A and from the intermediate's noise inside.
        var generator = TorchGenerator(seed: (record.seed ?? 0) &+ 1)
        let noise = generator.randn(source.start.shape)
        let targetStart = noise.blended(with: source.start, mask: a)
        let features = try adapterFeatures(adapterURL, condition: conditionURL)
        var plan = MethodPlan(
            branches: [sourceBranch, branch(sourceEmbedding, start: noise), branch(targetEmbedding, start: noise),
                       branch(sourceEmbedding, start: targetStart), branch(targetEmbedding, start: targetStart)],
            processors: [MaskedSelfAttentionFusion(branches: .withAdapter, fusionSteps: fusionSteps)], sourceBranch: 0, targetBranch: 4)
        // Every branch but the source gets the adapter's features.
        plan.adapterFeatures = features.map { f in concat([Tensor(zeros: f.shape)] + Array(repeating: f, count: 4), axis: 0) }
        plan.noiseHook = { eps, _ in
            eps = Self.fused(Self.fused(eps, outside: 1, inside: 2, mask: a), outside: 3, inside: 4, mask: a)
        }
        return plan
    }

    /// ε inside A from `inside`, outside from `outside`, written to both rows so that they follow one latent.
    static func fused(_ eps: Tensor, outside: Int, inside: Int, mask: Mask) -> Tensor {
        let composite = eps.item(inside).blended(with: eps.item(outside), mask: mask)
        return eps.replacingItem(outside, with: composite).replacingItem(inside, with: composite)
    }

    /// The source embedding with the rows of positions whose token ids differ taken from the target's.
    func splicedEmbedding() -> Tensor {
        let s = model.tokenizer.encode(record.sourcePrompt).ids, t = model.tokenizer.encode(record.targetPrompt).ids
        var out = sourceEmbedding
        for i in 0..<min(s.count, t.count) where s[i] != t[i] {
            out = out.replacingRow(i, with: targetEmbedding)
        }
        return out
    }

    func adapterFeatures(_ adapterURL: URL, condition conditionURL: URL) throws -> [Tensor] {
        let adapter = try T2IAdapter.load(adapterURL)
        let picture = try prepareForStableDiffusion(try PNGFile.read(conditionURL).image, width: record.width, height: record.height).image
        let condition: Tensor
        if adapter.configuration.inChannels == 1 {
            // Sketch and canny adapters take a binary map (T2I-Adapter's preprocessing: > 0.5).
            let gray = picture.grayscale().pixels.map { $0 > 0.5 ? Float(1) : 0 }
            condition = Tensor(gray, shape: [1, 1, record.height, record.width])
        } else {
            condition = Tensor(picture.pixels, shape: [1, 3, record.height, record.width])
        }
        return adapter(condition, strength: Float(record.conditionStrength))
    }
}

extension Tensor {
    /// [1, T, D] with token row `i` taken from `other` ([1, T, D]).
    func replacingRow(_ i: Int, with other: Tensor) -> Tensor {
        precondition(rank == 3 && other.shape == shape, "replacingRow: \(shape) vs \(other.shape)")
        var out = widened()
        let d = dim(2)
        let src = other.widened()
        (out.mutableFloats.baseAddress! + i * d).update(from: src.floats.baseAddress! + i * d, count: d)
        return out
    }
}
