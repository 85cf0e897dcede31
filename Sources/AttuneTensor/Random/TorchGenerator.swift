// torch.randn on the CPU, reproduced: a Mersenne Twister (MT19937) seeded like torch.manual_seed, and
// torch's normal_fill, which turns batches of 16 uniform floats into normals with Box-Muller.
// So `--seed 42` gives the same starting noise as diffusers with torch.Generator().manual_seed(42).
// Follows aten/src/ATen/native/cpu/DistributionTemplates.h (normal_fill, normal_fill_16) and
// aten/src/ATen/core/MT19937RNGEngine.h; the same port is in stable-diffusion.cpp's rng_mt19937.hpp.
import Foundation

public struct TorchGenerator {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    /// torch's generator caches the second value of each Box-Muller pair of its scalar (double) sampler.
    private var cachedNormal: Double?

    public init(seed: UInt64) {
        // torch seeds its 32-bit MT19937 with the low 32 bits of the seed.
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var next = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            state[i] = next
        }
        index = 0
    }

    /// A float in [0, 1) from the top 24 bits' worth of one 32-bit draw, as torch's uniform for float32.
    mutating func uniformFloat() -> Float {
        Float(nextUInt32() & ((1 << 24) - 1)) * Float(1.0 / 16_777_216.0)
    }

    /// A double in [0, 1) from 53 bits of two 32-bit draws (the first is the high word).
    mutating func uniformDouble() -> Double {
        let hi = UInt64(nextUInt32()), lo = UInt64(nextUInt32())
        return Double(((hi << 32) | lo) & ((1 << 53) - 1)) * 0x1p-53
    }

    /// torch's scalar sampler (at::normal_distribution<double>), used for tensors of fewer than 16 values.
    mutating func scalarNormal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let u1 = uniformDouble(), u2 = uniformDouble()
        let r = (-2 * Foundation.log1p(-u2)).squareRoot()
        let theta = 2 * Double.pi * u1
        cachedNormal = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }

    /// Standard normals as torch.randn(count) draws them on the CPU.
    public mutating func normal(count: Int) -> [Float] {
        if count < 16 { return (0..<count).map { _ in Float(scalarNormal()) } }
        var data = [Float](repeating: 0, count: count)
        for i in 0..<count { data[i] = uniformFloat() }
        var i = 0
        while i + 16 <= count {
            Self.boxMuller16(&data, at: i)
            i += 16
        }
        if count % 16 != 0 {
            // torch redraws the last 16 values and transforms them again.
            let start = count - 16
            for j in 0..<16 { data[start + j] = uniformFloat() }
            Self.boxMuller16(&data, at: start)
        }
        return data
    }

    static func boxMuller16(_ data: inout [Float], at start: Int) {
        for j in 0..<8 {
            let u1 = 1 - data[start + j]
            let u2 = data[start + 8 + j]
            let radius = (-2 * Foundation.log(u1)).squareRoot()
            let theta = Float(2 * Double.pi * Double(u2))
            data[start + j] = radius * Foundation.cos(theta)
            data[start + 8 + j] = radius * Foundation.sin(theta)
        }
    }

    /// A Float32 tensor of standard normals, as torch.randn(shape, generator=...) would give.
    public mutating func randn(_ shape: [Int]) -> Tensor {
        Tensor(normal(count: shape.reduce(1, *)), shape: shape)
    }
}
