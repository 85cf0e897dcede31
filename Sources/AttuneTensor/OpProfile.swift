// Wall time per op kind while enabled (`attune bench unet --profile`): where a model's time goes, measured
// rather than guessed. Nested ops count in their own rows and in their callers'.
import Foundation

public enum OpProfile {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var enabled = false
    nonisolated(unsafe) private static var totals: [String: (calls: Int, seconds: Double)] = [:]

    public static func start() { lock.withLock { totals = [:]; enabled = true } }

    /// Stops recording and returns (op, calls, seconds), most expensive first.
    public static func stop() -> [(op: String, calls: Int, seconds: Double)] {
        lock.withLock {
            enabled = false
            return totals.map { ($0.key, $0.value.calls, $0.value.seconds) }.sorted { $0.seconds > $1.seconds }
        }
    }

    @inline(__always)
    static func measure<R>(_ op: String, _ body: () -> R) -> R {
        guard lock.withLock({ enabled }) else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let r = body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.withLock {
            let t = totals[op] ?? (0, 0)
            totals[op] = (t.calls + 1, t.seconds + seconds)
        }
        return r
    }
}
