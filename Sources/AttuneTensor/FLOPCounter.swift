// Counts the floating-point operations of the matrix-heavy ops (conv, linear, matmul, attention) while
// enabled, so benchmarks report GFLOP/s of whole models from what actually ran.
import Foundation

public enum FLOPCounter {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var total: Double = 0
    nonisolated(unsafe) private static var enabled = false

    /// Runs `body` and returns its result with the FLOPs counted meanwhile (2 per multiply-add).
    public static func measure<R>(_ body: () throws -> R) rethrows -> (result: R, flops: Double) {
        lock.withLock { total = 0; enabled = true }
        defer { lock.withLock { enabled = false } }
        let r = try body()
        return (r, lock.withLock { total })
    }

    @inline(always)
    static func add(_ flops: Double) {
        lock.withLock { if enabled { total += flops } }
    }
}
