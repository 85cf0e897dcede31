// The processor's multiply-add ceiling, for benchmarks to say how far below it a kernel runs.

public enum FMAChains {
    /// Runs 12 independent chains of 16-float multiply-adds `iterations` times (12 * 16 * 2 FLOPs each) and
    /// returns a value depending on all of them, so none can be optimised away. Twelve chains cover the
    /// multiply-add latency (4 cycles) times two issue ports of current x86 cores. Inlinable: each caller
    /// compiles it for its own instruction set.
    @inlinable @inline(always)
    public static func run(iterations: Int, seed: Float) -> Float {
        var a0 = Vec16(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        let m = Vec16(repeating: 0.999), c = Vec16(repeating: 1e-3)
        for _ in 0..<iterations {
            a0 = c.addingProduct(a0, m); a1 = c.addingProduct(a1, m); a2 = c.addingProduct(a2, m)
            a3 = c.addingProduct(a3, m); a4 = c.addingProduct(a4, m); a5 = c.addingProduct(a5, m)
            a6 = c.addingProduct(a6, m); a7 = c.addingProduct(a7, m); a8 = c.addingProduct(a8, m)
            a9 = c.addingProduct(a9, m); a10 = c.addingProduct(a10, m); a11 = c.addingProduct(a11, m)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }

    public static let flopsPerIteration = 12 * 16 * 2
}
