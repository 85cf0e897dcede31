// Shared pieces of the benchmarks: timing, inputs, and the environment line every benchmark prints.
import AttuneTensor
import Foundation

enum BenchEnvironment {
    static var header: String {
        let env = ProcessInfo.processInfo.environment
        return "OpenBLAS core: \(BLAS.coreName), threads: \(BLAS.threadCount), "
            + "OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)"), cores: \(coreCount)"
    }
}

/// Best wall time of `repeats` runs after one warm-up run, in seconds.
func best(_ repeats: Int, _ body: () -> Void) -> Double { timing(repeats, body).wall }

func timing(_ repeats: Int, _ body: () -> Void) -> (wall: Double, cpu: Double, walls: [Double]) { timing(repeats, before: {}, body) }

/// Wall and process CPU seconds of the fastest of `repeats` runs after a warm-up, and every run's wall seconds.
/// `before` runs ahead of each timed run, outside the timing (the PyTorch baseline's forward, so that the two
/// alternate). CPU/wall below the core count means other processes took cores away (the run is then not
/// representative).
func timing(_ repeats: Int, before: () throws -> Void, _ body: () -> Void) rethrows -> (wall: Double, cpu: Double, walls: [Double]) {
    body()
    var best = (wall: Double.infinity, cpu: Double.infinity)
    var walls: [Double] = []
    for _ in 0..<max(1, repeats) {
        try before()
        let start = DispatchTime.now().uptimeNanoseconds, cpu0 = processCPUSeconds()
        body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        walls.append(wall)
        if wall < best.wall { best = (wall, processCPUSeconds() - cpu0) }
    }
    return (best.wall, best.cpu, walls)
}

/// Uniform values in [-0.5, 0.5) from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
    var state = seed
    var t = Tensor(uninitialized: shape)
    let p = t.mutableFloats
    for i in 0..<p.count {
        // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        p[i] = Float(z >> 40) / Float(1 << 24) - 0.5
    }
    return t
}

/// GFLOP/s of one square-ish sgemm with `flops` FLOPs, best of `repeats`: the machine's rate right now, for ratios
/// that hold when other work on the host slows everything down.
func squareSgemmRate(flops: Double, repeats: Int) -> Double {
    let side = max(64, Int((flops / 2).squareRoot().squareRoot().rounded()))
    let n = max(64, Int(flops / 2 / Double(side * side)))
    let a = randomTensor([side, side]), b = randomTensor([side, n])
    var c = Tensor(zeros: [side, n])
    let pc = c.mutableFloats.baseAddress!
    let t = best(repeats) {
        BLAS.gemm(m: side, n: n, k: side, a: a.floats.baseAddress!, lda: side, b: b.floats.baseAddress!, ldb: n, c: pc, ldc: n, kernel: .openBLAS)
    }
    return 2.0 * Double(side * side * n) / t / 1e9
}
