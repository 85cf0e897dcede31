// The denoising loop of an edit: several branches (source, target, ...) in one classifier-free-guided batch,
// branches pinned to their inversion trajectories, an attention processor, and per-step hooks for methods
// that composite noise predictions (MaSaFusion) or latents (MCA-Ctrl).
import AttuneModels
import AttuneTensor

/// One branch of an edit.
public struct Branch {
    /// Text embeddings [1, 77, D]: negative prompt and prompt.
    public var unconditional: Tensor
    public var conditional: Tensor
    /// x_T [1, 4, h, w].
    public var start: Tensor
    /// An inversion trajectory [x_0, ..., x_T] the branch follows (its latent is reset to entry n − i before step i).
    public var pinned: [Tensor]?

    public init(unconditional: Tensor, conditional: Tensor, start: Tensor, pinned: [Tensor]? = nil) {
        self.unconditional = unconditional
        self.conditional = conditional
        self.start = start
        self.pinned = pinned
    }
}

public struct EditResult {
    /// Final latents of every branch, [B, 4, h, w].
    public let final: Tensor
    /// The latents before the first step and after every step, [B, 4, h, w] each (n + 1 entries).
    public let trajectory: [Tensor]
    /// Steps that ran the UNet on the live branches only (fixed branches from the cache).
    public let reducedSteps: Int
}

public struct EditLoop {
    public let model: StableDiffusion
    public var steps: Int
    public var guidance: Float
    public var processor: AttentionProcessor?
    /// T2I-Adapter features per UNet level, batched over branches ([B, C, h, w]; zeros for branches without).
    public var adapterFeatures: [Tensor]?
    /// Rewrites the branches' noise predictions [B, 4, h, w] before the scheduler step.
    public var noiseHook: ((inout Tensor, DenoisingStep) -> Void)?
    /// Rewrites the branches' latents after the scheduler step.
    public var latentHook: ((inout Tensor, DenoisingStep) -> Void)?
    /// The first `fixedBranches` branches do not depend on the others (the source; MCA-Ctrl's condition and
    /// subject). With a cache, steps it holds run the UNet on the other branches only.
    public var fixedBranches = 0
    public var cache: FixedBranchCache?
    public var reads = FixedBranchReads.everything

    public init(model: StableDiffusion, steps: Int, guidance: Float, processor: AttentionProcessor? = nil) {
        self.model = model
        self.steps = steps
        self.guidance = guidance
        self.processor = processor
    }

    public func run(_ branches: [Branch], progress: ProgressHandler? = nil) throws -> EditResult {
        precondition(!branches.isEmpty, "EditLoop: no branches")
        for b in branches where b.pinned != nil {
            precondition(b.pinned!.count == steps + 1, "EditLoop: a pinned trajectory needs \(steps + 1) latents, has \(b.pinned!.count)")
        }
        let conditioning = Conditioning(unconditional: concat(branches.map(\.unconditional), axis: 0),
                                        conditional: concat(branches.map(\.conditional), axis: 0))
        let fixed = cache == nil ? 0 : fixedBranches
        let liveConditioning = Conditioning(unconditional: slice(conditioning.unconditional, axis: 0, start: fixed, length: branches.count - fixed),
                                            conditional: slice(conditioning.conditional, axis: 0, start: fixed, length: branches.count - fixed))
        var x = concat(branches.map(\.start), axis: 0)
        var trajectory = [x]
        var clock = StepClock()
        var reduced = 0
        for (i, t) in model.scheduler.timesteps(count: steps).enumerated() {
            for (b, branch) in branches.enumerated() {
                if let pinned = branch.pinned { x = x.replacingItem(b, with: pinned[steps - i]) }
            }
            let step = DenoisingStep(index: i, count: steps, timestep: t)
            var eps: Tensor
            if let cache, fixed > 0, let cached = cache.complete(i, reads: reads), let fixedNoise = cached.noise {
                let injector = FixedRowInjector(fixed: fixed, step: cached)
                let live = model.predictNoise(
                    slice(x, axis: 0, start: fixed, length: branches.count - fixed), timestep: t, conditioning: liveConditioning,
                    guidance: guidance, processor: ProcessorChain([injector] + (processor.map { [$0] } ?? [])), step: step,
                    adapterFeatures: adapterFeatures?.map { slice($0, axis: 0, start: fixed, length: branches.count - fixed) })
                eps = concat([fixedNoise, live], axis: 0)
                reduced += 1
            } else if let cache, fixed > 0 {
                let recorder = FixedRowRecorder(fixed: fixed, reads: cache.reads(unionWith: reads, step: i))
                eps = model.predictNoise(x, timestep: t, conditioning: conditioning, guidance: guidance,
                                         processor: ProcessorChain([recorder] + (processor.map { [$0] } ?? [])), step: step,
                                         adapterFeatures: adapterFeatures)
                var entry = recorder.step
                entry.noise = slice(eps, axis: 0, start: 0, length: fixed)
                cache.store(i, entry)
            } else {
                eps = model.predictNoise(x, timestep: t, conditioning: conditioning, guidance: guidance,
                                         processor: processor, step: step, adapterFeatures: adapterFeatures)
            }
            noiseHook?(&eps, step)
            let (previous, x0) = model.scheduler.step(eps, timestep: t, sample: x, stepCount: steps)
            x = previous
            latentHook?(&x, step)
            trajectory.append(x)
            let lap = clock.lap()
            try progress?(StepProgress(step: i, count: steps, timestep: t, latent: x, predictedOriginal: x0,
                                       secondsForStep: lap.step, elapsed: lap.total))
        }
        return EditResult(final: x, trajectory: trajectory, reducedSteps: reduced)
    }
}

extension Tensor {
    /// Per-pixel blend of two [1, C, h, w] tensors by a mask at h x w: mask · a + (1 − mask) · b.
    func blended(with b: Tensor, mask: Mask) -> Tensor {
        precondition(rank == 4 && mask.height == dim(2) && mask.width == dim(3), "blended: mask \(mask.height)x\(mask.width) for \(shape)")
        let m = Tensor(mask.values, shape: [1, 1, mask.height, mask.width])
        return self * m + b * (Tensor(filling: 1, shape: m.shape) - m)
    }
}
