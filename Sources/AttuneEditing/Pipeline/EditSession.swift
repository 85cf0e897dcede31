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
    public let sourceSeconds: Double
    public let sourceReused: Bool
    public let editSeconds: Double
    /// Steps whose fixed branches came from the live-tuning cache (only the target branches ran), and its size.
    public let stepsFromCache: Int
    public let cacheBytes: Int
}

/// Where an edit is: inverting its source or editing, the step, and (while editing) which batch rows hold what.
public struct EditProgress {
    public enum Phase: Sendable { case inversion, editing }
    public let phase: Phase
    public let step: StepProgress
    public let layout: EditLayout?
}

/// The branches of a running edit in the UNet batch.
public struct EditLayout: Sendable {
    public let batch: BatchLayout
    public let sourceBranch: Int
    public let targetBranch: Int

    /// The conditional rows of the source and target (their prompts' attention maps).
    public var sourceItem: Int { batch.index(branch: sourceBranch) }
    public var targetItem: Int { batch.index(branch: targetBranch) }
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

    /// Hands the session a source prepared elsewhere (an inversion saved by `attune invert`, a test fixture);
    /// records whose source key matches use it.
    public func prime(_ source: PreparedSource) { inversions.insert(source) }

    /// Runs `record`. An `observer` (attention map recorders) sees every attention call first; `progress` hears
    /// about every inversion and editing step and may throw to stop the run.
    public func run(_ record: EditRecord, observer: AttentionProcessor? = nil, progress: ((EditProgress) throws -> Void)? = nil) throws -> EditOutcome {
        try record.validate()
        let (source, reused) = try inversions.prepared(record) { try progress?(EditProgress(phase: .inversion, step: $0, layout: nil)) }
        let clock = Date()
        var plan = try MethodPlan.make(record, source: source, model: model, inversions: inversions)
        if let observer { plan.processors.insert(observer, at: 0) }
        let layout = EditLayout(batch: BatchLayout(branches: plan.branches.count, guided: record.guidance > 1),
                                sourceBranch: plan.sourceBranch, targetBranch: plan.targetBranch)
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
        let result = try loop.run(plan.branches) { try progress?(EditProgress(phase: .editing, step: $0, layout: layout)) }
        let target = Image(modelTensor: model.decode(latent: result.final.item(plan.targetBranch)))
        let sourcePicture = Image(modelTensor: model.decode(latent: result.final.item(plan.sourceBranch)))
        return EditOutcome(record: record, target: target, source: sourcePicture, latents: result.final, targetBranch: plan.targetBranch,
                           targetItem: layout.batch.index(branch: plan.targetBranch),
                           sourceSeconds: source.seconds, sourceReused: reused, editSeconds: Date().timeIntervalSince(clock),
                           stepsFromCache: result.reducedSteps, cacheBytes: cache?.bytes ?? 0)
    }
}

/// Prepared sources (inversions) by key, the most recent few kept: the edited picture and MCA-Ctrl's subject.
final class InversionCache {
    let model: StableDiffusion
    private var entries: [PreparedSource] = []
    let capacity = 4

    init(model: StableDiffusion) { self.model = model }

    func prepared(_ record: EditRecord, progress: ProgressHandler? = nil) throws -> (PreparedSource, reused: Bool) {
        let key = record.sourceKey
        if let i = entries.firstIndex(where: { $0.key == key }) {
            let hit = entries.remove(at: i)
            entries.append(hit)
            return (hit, true)
        }
        let fresh = try SourcePreparation.prepare(record, model: model, progress: progress)
        insert(fresh)
        return (fresh, false)
    }

    func insert(_ source: PreparedSource) {
        entries.removeAll { $0.key == source.key }
        entries.append(source)
        if entries.count > capacity { entries.removeFirst() }
    }
}
