// Winograd's transformed filters (36 x Cout x Cin floats, 4x the 3x3 weights) kept per weight tensor, so that the
// steps of a sampling run transform each filter once: at a 64x64 latent the UNet's transforms write ~1.3 GB per
// forward, ~10% of its time. Entries are keyed by the weight's storage and hold it weakly, so a model that is
// released takes its entries with it; once the budget is spent, further filters are transformed per call.
import Foundation

final class WinogradFilterCache: @unchecked Sendable {
    /// ATTUNE_WINOGRAD_CACHE_MB (0 turns the cache off); 2 GiB by default, enough for SD 1.5's UNet at 512x512.
    static let shared = WinogradFilterCache(budgetBytes: {
        if let text = ProcessInfo.processInfo.environment["ATTUNE_WINOGRAD_CACHE_MB"], let mb = Int(text), mb >= 0 { return mb << 20 }
        return 2 << 30
    }())

    private struct Entry {
        weak var weight: TensorStorage?
        let filters: TensorStorage
    }

    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var bytes = 0
    let budgetBytes: Int

    init(budgetBytes: Int) { self.budgetBytes = budgetBytes }

    /// The cached filters of `weight`, or `make()`'s, cached when the budget allows. `make` fills a buffer of
    /// `count` floats.
    func filters<R>(of weight: TensorStorage, count: Int, make: (UnsafeMutablePointer<Float>) -> Void,
                    _ body: (UnsafePointer<Float>) -> R) -> R {
        let key = ObjectIdentifier(weight)
        let cached: TensorStorage? = lock.withLock {
            guard let entry = entries[key] else { return nil }
            // A freed weight's address may come back as a new tensor: only a live, identical storage matches.
            return entry.weight === weight && entry.filters.count == count ? entry.filters : nil
        }
        if let cached { return withExtendedLifetime(cached) { body(cached.raw.assumingMemoryBound(to: Float.self)) } }
        let filters = TensorStorage(dtype: .f32, count: count, zeroed: false)
        make(filters.raw.assumingMemoryBound(to: Float.self))
        lock.withLock {
            for (k, e) in entries where e.weight == nil || k == key {
                bytes -= e.filters.count * 4
                entries[k] = nil
            }
            if bytes + count * 4 <= budgetBytes {
                entries[key] = Entry(weight: weight, filters: filters)
                bytes += count * 4
            }
        }
        return withExtendedLifetime(filters) { body(filters.raw.assumingMemoryBound(to: Float.self)) }
    }

    /// Bytes held now.
    var heldBytes: Int { lock.withLock { bytes } }
}
