// What the cores can multiply-add at most, measured: the ceiling benchmarks compare kernels with.
import AttuneSIMD
#if arch(x86_64)
import AttuneAVX512
#endif
import Foundation

public enum MachinePeak {
    /// GFLOP/s of multiply-adds on all of Attune's cores at once (AVX-512 where the processor has it, else the
    /// 16-float vectors this module is compiled for), best of `repeats` runs of ~0.1 s.
    public static func fmaRate(repeats: Int = 3) -> Double {
        let iterations = 20_000_000
        var best = Double.infinity
        // Each core's result is checked afterwards, so no chain can be dropped as unused.
        let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: coreCount)
        defer { results.deallocate() }
        for repeat_ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            parallelEach(coreCount) { core in
                let seed = Float(core + repeat_) * 1e-3
                #if arch(x86_64)
                results[core] = CPUFeatures.hasAVX512 ? FMAPeak.run(iterations: iterations, seed: seed) : FMAChains.run(iterations: iterations, seed: seed)
                #else
                results[core] = FMAChains.run(iterations: iterations, seed: seed)
                #endif
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            precondition(results.allSatisfy(\.isFinite), "multiply-add chains diverged")
        }
        return Double(coreCount * iterations * FMAChains.flopsPerIteration) / best / 1e9
    }
}
