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

    /// GB/s of reading and of writing 64 MiB per core on all cores at once, 16 floats at a time, best of `repeats`:
    /// what ops that stream their data (normalisations, Winograd's transforms) are bound by.
    public static func memoryRates(repeats: Int = 3) -> (read: Double, write: Double) {
        let count = 16 << 20
        let buffers = (0..<coreCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: count) }
        defer { buffers.forEach { $0.deallocate() } }
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: coreCount)
        defer { sums.deallocate() }
        func best(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) -> Double {
            var best = Double.infinity
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                parallelEach(coreCount) { core in body(buffers[core], core) }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return Double(coreCount * count * 4) / best / 1e9
        }
        let write = best { p, _ in
            let raw = UnsafeMutableRawPointer(p)
            for i in stride(from: 0, to: count * 4, by: 64) { raw.storeBytes(of: Vec16(repeating: 1), toByteOffset: i, as: Vec16.self) }
        }
        let read = best { p, core in
            let raw = UnsafeRawPointer(p)
            var a = Vec16(), b = Vec16()
            for i in stride(from: 0, to: count * 4, by: 128) {
                a += raw.loadUnaligned(fromByteOffset: i, as: Vec16.self)
                b += raw.loadUnaligned(fromByteOffset: i + 64, as: Vec16.self)
            }
            sums[core] = (a + b).sum()
        }
        precondition(sums.allSatisfy(\.isFinite), "memory read sums")
        return (read, write)
    }
}

