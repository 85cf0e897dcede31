// DDIM (eta = 0) as diffusers configures it for SD 1.5: scaled_linear betas 0.00085..0.012 over 1000
// training steps, "leading" timestep spacing with steps_offset 1, set_alpha_to_one false, epsilon
// prediction, no clipping; and DDIM inversion in the convention of MasaCtrl / prompt-to-prompt.
// Mirrors diffusers schedulers/scheduling_ddim.py (step, formula (12) of the DDIM paper).
import AttuneTensor

public struct DDIMScheduler: Sendable {
    public let trainSteps: Int
    /// ᾱ_t for t in 0..<trainSteps, rounded as torch computes them.
    public let alphasCumprod: [Float]
    /// ᾱ used when a step goes past t = 0 (ᾱ_0, because set_alpha_to_one is false).
    public let finalAlphaCumprod: Float
    public let stepsOffset: Int

    public init(betaStart: Double = 0.00085, betaEnd: Double = 0.012, trainSteps: Int = 1000, stepsOffset: Int = 1) {
        self.trainSteps = trainSteps
        self.stepsOffset = stepsOffset
        // betas = linspace(sqrt(start), sqrt(end), n)^2: the square roots in double (Python), the rest in float32.
        let a = Float(betaStart.squareRoot()), b = Float(betaEnd.squareRoot())
        // alphas = 1 - betas in float32; torch's CPU cumprod accumulates in double and rounds each output.
        var product: Double = 1
        var cumprod: [Float] = []
        cumprod.reserveCapacity(trainSteps)
        for i in 0..<trainSteps {
            let s = Self.linspace(a, b, count: trainSteps, index: i)
            product *= Double(1 - s * s)
            cumprod.append(Float(product))
        }
        alphasCumprod = cumprod
        finalAlphaCumprod = cumprod[0]
    }

    /// torch.linspace's float32 formula: start + i * step for the first half, end - (n - 1 - i) * step after.
    static func linspace(_ start: Float, _ end: Float, count n: Int, index i: Int) -> Float {
        let step = (end - start) / Float(n - 1)
        return i < n / 2 ? start + step * Float(i) : end - step * Float(n - 1 - i)
    }

    /// The most sampling steps whose timesteps all exist (999 with steps_offset 1: 1000 steps would start at t = 1000).
    public var maximumSteps: Int { (1...trainSteps).last { ($0 - 1) * (trainSteps / $0) + stepsOffset < trainSteps } ?? 1 }

    /// Descending timesteps for `count` sampling steps ("leading": 981, 961, ..., 1 for 50).
    public func timesteps(count: Int) -> [Int] {
        precondition(count >= 1 && count <= maximumSteps, "DDIMScheduler: \(count) steps outside 1...\(maximumSteps)")
        let ratio = trainSteps / count
        return (0..<count).reversed().map { $0 * ratio + stepsOffset }
    }

    /// Distance between consecutive timesteps.
    public func stride(count: Int) -> Int { trainSteps / count }

    func alpha(_ t: Int) -> Float { t >= 0 ? alphasCumprod[t] : finalAlphaCumprod }

    /// One denoising step x_t -> x_{t - stride}; returns (previous sample, predicted x0).
    public func step(_ epsilon: Tensor, timestep t: Int, sample: Tensor, stepCount: Int) -> (previous: Tensor, predictedOriginal: Tensor) {
        Self.ddimUpdate(epsilon, sample: sample, from: alpha(t), to: alpha(t - stride(count: stepCount)))
    }

    /// One inversion step x_{t - stride} -> x_t, with ε predicted at the destination timestep t
    /// (MasaCtrl's `invert` / prompt-to-prompt's `next_step`).
    public func inversionStep(_ epsilon: Tensor, timestep t: Int, sample: Tensor, stepCount: Int) -> Tensor {
        Self.ddimUpdate(epsilon, sample: sample, from: alpha(min(t - stride(count: stepCount), trainSteps - 1)), to: alpha(t)).previous
    }

    /// x0 = (x - sqrt(1 - ᾱ_from) ε) / sqrt(ᾱ_from); x' = sqrt(ᾱ_to) x0 + sqrt(1 - ᾱ_to) ε, in diffusers' operation order.
    static func ddimUpdate(_ epsilon: Tensor, sample: Tensor, from aFrom: Float, to aTo: Float) -> (previous: Tensor, predictedOriginal: Tensor) {
        precondition(sample.shape == epsilon.shape, "DDIMScheduler: sample \(sample.shape) and noise \(epsilon.shape) differ")
        let x = sample.widened(), e = epsilon.widened()
        var x0 = Tensor(uninitialized: x.shape), out = Tensor(uninitialized: x.shape)
        let px = x.floats.baseAddress!, pe = e.floats.baseAddress!
        let p0 = x0.mutableFloats.baseAddress!, po = out.mutableFloats.baseAddress!
        let sqrtBetaFrom = (1 - aFrom).squareRoot(), sqrtFrom = aFrom.squareRoot()
        let sqrtTo = aTo.squareRoot(), direction = (1 - aTo).squareRoot()
        for i in 0..<x.count {
            p0[i] = (px[i] - sqrtBetaFrom * pe[i]) / sqrtFrom
            po[i] = sqrtTo * p0[i] + direction * pe[i]
        }
        return (out, x0)
    }
}
