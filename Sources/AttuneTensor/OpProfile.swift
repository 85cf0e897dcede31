// Wall and process CPU time per op kind while enabled (`attune bench unet --profile`): where a model's time goes,
// and how well each kind keeps the cores busy, measured rather than guessed. Nested ops count in their own rows and
// in their callers'. Ops that name their shape and FLOPs are also totalled per shape, to find the slow ones among
// many calls of one kind.
import Foundation

public enum OpProfile {
    public struct Row {
        public let op: String
        public let calls: Int
        public let seconds: Double
        /// CPU seconds of the whole process during those calls (over `seconds`: the cores the op kept busy).
        public let cpuSeconds: Double
        /// FLOPs of those calls (0 when the op does not count them).
        public let flops: Double
    }

    private typealias Totals = [String: (calls: Int, seconds: Double, cpuSeconds: Double, flops: Double)]
    private static let lock = NSLock()
    nonisolated(unsafe) private static var enabled = false
    nonisolated(unsafe) private static var totals: Totals = [:]
    nonisolated(unsafe) private static var shapes: Totals = [:]

    public static func start() { lock.withLock { totals = [:]; shapes = [:]; enabled = true } }

    /// Stops recording and returns the rows per op kind and per (op, shape), most expensive first.
    public static func stop() -> (kinds: [Row], shapes: [Row]) {
        lock.withLock {
            enabled = false
            func rows(_ table: Totals) -> [Row] {
                table.map { Row(op: $0.key, calls: $0.value.calls, seconds: $0.value.seconds, cpuSeconds: $0.value.cpuSeconds, flops: $0.value.flops) }
                    .sorted { $0.seconds > $1.seconds }
            }
            return (rows(totals), rows(shapes))
        }
    }

    @inline(always)
    static func measure<R>(
        _ op: String, shape: @autoclosure () -> String? = nil, flops: @autoclosure () -> Double = 0, _ body: () -> R
    ) -> R {
        guard lock.withLock({ enabled }) else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
        let r = body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu = processCPUSeconds() - cpuStart
        let (key, count) = (shape().map { "\(op) \($0)" }, flops())
        func add(_ table: inout Totals, _ key: String) {
            let t = table[key] ?? (0, 0, 0, 0)
            table[key] = (t.calls + 1, t.seconds + seconds, t.cpuSeconds + cpu, t.flops + count)
        }
        lock.withLock {
            add(&totals, op)
            if let key { add(&shapes, key) }
        }
        return r
    }
}

/// CPU seconds used by all threads of this process so far.
public func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
