// Splitting loops over the machine's cores. Small loops run inline: threads cost more than they save.
import Foundation

/// Number of worker threads used by `parallelFor` and GEMM splitting: the active processor count, or
/// ATTUNE_THREADS when set (to leave cores to other work, or to measure scaling).
public let coreCount: Int = {
    environmentInteger("ATTUNE_THREADS", minimum: 1) ?? max(ProcessInfo.processInfo.activeProcessorCount, 1)
}()

/// Calls `body(lo, hi)` on disjoint ranges covering `0..<count`, in parallel when `count >= 2 * grain`.
@inlinable
public func parallelFor(_ count: Int, grain: Int = 4096, _ body: (Int, Int) -> Void) {
    if count <= 0 { return }
    let chunks = min(coreCount, count / max(grain, 1))
    if chunks < 2 {
        body(0, count)
        return
    }
    // Over-split a little so that an uneven core (another process, a slow tail) does not stall the rest.
    let pieces = chunks * 4
    DispatchQueue.concurrentPerform(iterations: pieces) { p in
        let lo = count * p / pieces
        let hi = count * (p + 1) / pieces
        if lo < hi { body(lo, hi) }
    }
}

/// Calls `body(i)` for every i in `0..<count`, one task per index (for coarse work items such as attention heads).
@inlinable
public func parallelEach(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 || coreCount == 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
