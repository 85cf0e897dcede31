// Plain DDIM sampling and DDIM inversion, with progress, timing and cancellation between UNet calls.
import AttuneTensor
import Foundation

/// What every sampling loop reports after each step. Throwing from the handler (e.g. CancellationError)
/// stops the loop before the next UNet call.
public struct StepProgress {
    public let step: Int
    public let count: Int
    public let timestep: Int
    /// The latent after this step, and the step's prediction of the final latent (for previews).
    public let latent: Tensor
    public let predictedOriginal: Tensor?
    public let secondsForStep: Double
    public let elapsed: Double

    public var secondsRemaining: Double { secondsForStep * Double(count - step - 1) }

    public init(step: Int, count: Int, timestep: Int, latent: Tensor, predictedOriginal: Tensor?, secondsForStep: Double, elapsed: Double) {
        self.step = step
        self.count = count
        self.timestep = timestep
        self.latent = latent
        self.predictedOriginal = predictedOriginal
        self.secondsForStep = secondsForStep
        self.elapsed = elapsed
    }
}

public typealias ProgressHandler = (StepProgress) throws -> Void

/// Times steps of a loop.
public struct StepClock {
    let start = DispatchTime.now().uptimeNanoseconds
    public init() {}
    var last = DispatchTime.now().uptimeNanoseconds

    public mutating func lap() -> (step: Double, total: Double) {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return (Double(now - last) / 1e9, Double(now - start) / 1e9)
    }
}

extension StableDiffusion {
    /// DDIM sampling from x_T. Returns the final latent and the trajectory [x_T, x_{t1}, ..., x_0] (steps + 1 latents).
    public func generate(
        from initialLatent: Tensor, conditioning: Conditioning, steps: Int, guidance: Float,
        processor: AttentionProcessor? = nil, progress: ProgressHandler? = nil
    ) throws -> (latent: Tensor, trajectory: [Tensor]) {
        var x = initialLatent
        var trajectory = [x]
        var clock = StepClock()
        for (i, t) in scheduler.timesteps(count: steps).enumerated() {
            let step = DenoisingStep(index: i, count: steps, timestep: t)
            let eps = predictNoise(x, timestep: t, conditioning: conditioning, guidance: guidance, processor: processor, step: step)
            let (previous, x0) = scheduler.step(eps, timestep: t, sample: x, stepCount: steps)
            x = previous
            trajectory.append(x)
            let lap = clock.lap()
            try progress?(StepProgress(step: i, count: steps, timestep: t, latent: x, predictedOriginal: x0,
                                       secondsForStep: lap.step, elapsed: lap.total))
        }
        return (x, trajectory)
    }

    /// DDIM inversion of a clean latent x_0 up to x_T (ε evaluated at the destination timestep, as MasaCtrl's
    /// `invert`). Returns [x_0, x_{t_1}, ..., x_T] in increasing noise: entry `steps - i` is the latent at the
    /// start of denoising step i.
    public func invert(
        _ latent: Tensor, conditioning: Conditioning, steps: Int, guidance: Float, progress: ProgressHandler? = nil
    ) throws -> [Tensor] {
        var x = latent
        var trajectory = [x]
        var clock = StepClock()
        for (i, t) in scheduler.timesteps(count: steps).reversed().enumerated() {
            let step = DenoisingStep(index: i, count: steps, timestep: t)
            let eps = predictNoise(x, timestep: t, conditioning: conditioning, guidance: guidance, step: step)
            x = scheduler.inversionStep(eps, timestep: t, sample: x, stepCount: steps)
            trajectory.append(x)
            let lap = clock.lap()
            try progress?(StepProgress(step: i, count: steps, timestep: t, latent: x, predictedOriginal: nil,
                                       secondsForStep: lap.step, elapsed: lap.total))
        }
        return trajectory
    }
}
