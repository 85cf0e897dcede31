// What the cores can do at most, measured: the ceilings benchmarks compare kernels with.
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
        // Each core's result is checked afterwards, so no chain can be dropped as unused.
        let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: coreCount)
        defer { results.deallocate() }
        var run = 0
        let seconds = fastestOnAllCores(repeats: repeats) { core in
            let seed = Float(core + run) * 1e-3
            #if arch(x86_64)
            if CPUFeatures.hasAVX512 {
                results[core] = FMAPeak.run(iterations: iterations, seed: seed)
                return
            }
            #endif
            results[core] = FMAChains.run(iterations: iterations, seed: seed)
        } after: {
            run += 1
            precondition(results.allSatisfy(\.isFinite), "multiply-add chains diverged")
        }
        return Double(coreCount * iterations * FMAChains.flopsPerIteration) / seconds / 1e9
    }

    /// GB/s of reading and of writing 64 MiB per core on all cores at once, 16 floats at a time, best of `repeats`:
    /// what ops that stream their data (normalisations, Winograd's transforms) are bound by.
    public static func memoryRates(repeats: Int = 3) -> (read: Double, write: Double) {
        let count = 16 << 20
        let buffers = (0..<coreCount).map { _ in UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64) }
        defer { buffers.forEach { $0.deallocate() } }
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: coreCount)
        defer { sums.deallocate() }
        let write = fastestOnAllCores(repeats: repeats) { core in
            for i in stride(from: 0, to: count * 4, by: 64) { buffers[core].storeBytes(of: Vec16(repeating: 1), toByteOffset: i, as: Vec16.self) }
        }
        let read = fastestOnAllCores(repeats: repeats) { core in
            var a = Vec16(), b = Vec16()
            for i in stride(from: 0, to: count * 4, by: 128) {
                a += buffers[core].load(fromByteOffset: i, as: Vec16.self)
                b += buffers[core].load(fromByteOffset: i + 64, as: Vec16.self)
            }
            sums[core] = (a + b).sum()
        }
        precondition(sums.allSatisfy(\.isFinite), "memory read sums")
        let bytes = Double(coreCount * count * 4)
        return (bytes / read / 1e9, bytes / write / 1e9)
    }

    /// Wall seconds of the fastest of `repeats` runs of `body` on every core at once; `after` runs after each.
    private static func fastestOnAllCores(repeats: Int, _ body: (Int) -> Void, after: () -> Void = {}) -> Double {
        var fastest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            parallelEach(coreCount, body)
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            after()
        }
        return fastest
    }
}
