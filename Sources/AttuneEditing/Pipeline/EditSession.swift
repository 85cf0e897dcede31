// Runs edit records: prepares (and keeps) the source, builds the chosen method's branches and attention
// processors, runs the edit loop, and decodes the result. The CLI's `attune edit` and the workbench's
// diffusion actor both drive this type.
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

public struct EditOutcome {
    public let record: EditRecord
    /// The edited picture and the source branch's picture (its reconstruction for a real image).
    public let target: Image
    public let source: Image
    /// Final latents of every branch, and which one is the target.
    public let latents: Tensor
    public let targetBranch: Int
    /// The target's conditional row in the UNet batch (where its cross-attention maps are recorded).
    public let targetItem: Int
    /// Cross-attention maps recorded during the run, when asked for.
    public let maps: AttentionMapRecorder?
    public let sourceSeconds: Double
    public let sourceReused: Bool
    public let editSeconds: Double
    /// Steps whose fixed branches came from the live-tuning cache (only the target branches ran), and its size.
    public let stepsFromCache: Int
    public let cacheBytes: Int
}

public final class EditSession {
    public let model: StableDiffusion
    let inversions: InversionCache
    /// The fixed branches' per-step results; nil disables the live-tuning cache.
    public let cache: FixedBranchCache?

    /// `cacheLimitBytes` bounds the live-tuning cache (0 disables it).
    public init(model: StableDiffusion, cacheLimitBytes: Int = 2 << 30) {
        self.model = model
        inversions = InversionCache(model: model)
        cache = cacheLimitBytes > 0 ? FixedBranchCache(limitBytes: cacheLimitBytes) : nil
    }

    /// Runs `record`. `recordMaps` additionally records the head-averaged cross-attention maps of every step.
    public func run(_ record: EditRecord, recordMaps: Bool = false, progress: ProgressHandler? = nil) throws -> EditOutcome {
        try record.validate()
        let (source, reused) = try inversions.prepared(record, progress: progress)
        let clock = Date()
        var plan = try MethodPlan.make(record, source: source, model: model, inversions: inversions)
        let recorder = recordMaps ? AttentionMapRecorder { site, _, _, _ in site.kind == .crossAttention } : nil
        if let recorder { plan.processors.insert(recorder, at: 0) }
        var loop = EditLoop(model: model, steps: record.steps, guidance: Float(record.guidance),
                            processor: plan.processors.isEmpty ? nil : ProcessorChain(plan.processors))
        loop.adapterFeatures = plan.adapterFeatures
        loop.noiseHook = plan.noiseHook
        loop.latentHook = plan.latentHook
        loop.fixedBranches = plan.fixedBranches
        loop.reads = plan.reads
        if let cache {
            cache.select(plan.fixedKey)
            loop.cache = cache
        }
        let result = try loop.run(plan.branches, progress: progress)
        let target = Image(modelTensor: model.decode(latent: result.final.item(plan.targetBranch)))
        let sourcePicture = Image(modelTensor: model.decode(latent: result.final.item(plan.sourceBranch)))
        let layout = BatchLayout(branches: plan.branches.count, guided: record.guidance > 1)
        return EditOutcome(record: record, target: target, source: sourcePicture, latents: result.final, targetBranch: plan.targetBranch,
                           targetItem: layout.index(branch: plan.targetBranch),
                           maps: recorder, sourceSeconds: source.seconds, sourceReused: reused, editSeconds: Date().timeIntervalSince(clock),
                           stepsFromCache: result.reducedSteps, cacheBytes: cache?.bytes ?? 0)
    }
}

/// Prepared sources (inversions) by key, the most recent few kept: the edited picture and MCA-Ctrl's subject.
final class InversionCache {
    let model: StableDiffusion
    private var entries: [PreparedSource] = []
    let capacity = 4

    init(model: StableDiffusion) { self.model = model }

    func prepared(_ record: EditRecord, progress: ProgressHandler?) throws -> (PreparedSource, reused: Bool) {
        let key = record.sourceKey
        if let i = entries.firstIndex(where: { $0.key == key }) {
            let hit = entries.remove(at: i)
            entries.append(hit)
            return (hit, true)
        }
        let fresh = try SourcePreparation.prepare(record, model: model, progress: progress)
        entries.append(fresh)
        if entries.count > capacity { entries.removeFirst() }
        return (fresh, false)
    }
}
