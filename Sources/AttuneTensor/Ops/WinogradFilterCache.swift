// Winograd's transformed filters (36 or 16 x Cout x Cin floats, 4x or 1.8x the 3x3 weights) kept per weight, so that the
// steps of a sampling run transform each filter once: at a 64x64 latent the UNet's transforms write ~1.3 GB per
// forward, ~10% of its time. Entries are keyed by the weight's storage and hold it weakly, so a model that is
// released takes its entries with it; once the budget is spent, further filters are transformed per call (only
// the speed changes, never the result).
import Foundation

final class WinogradFilterCache: @unchecked Sendable {
    /// ATTUNE_WINOGRAD_CACHE_MB (0 turns the cache off); 3 GiB by default, enough for SD 1.5's UNet at 512x512
    /// (1.3 GB of F(4x4, 3x3) filters at 32x32 and 64x64, 1.4 GB of F(2x2, 3x3) filters at 16x16).
    static let shared = WinogradFilterCache(budgetBytes: environmentInteger("ATTUNE_WINOGRAD_CACHE_MB", minimum: 0).map { $0 << 20 } ?? 3 << 30)

    private struct Key: Hashable {
        let weight: ObjectIdentifier
        /// Filters of F(4x4, 3x3) and F(2x2, 3x3) for one weight differ in size.
        let count: Int
    }

    private struct Entry {
        weak var weight: TensorStorage?
        let filters: TensorStorage
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var bytes = 0
    let budgetBytes: Int

    init(budgetBytes: Int) { self.budgetBytes = budgetBytes }

    /// The cached `count` filters of `weight`, or new ones made by `make` (which fills `count` floats), kept when
    /// they fit the budget.
    func filters(of weight: TensorStorage, count: Int, make: (UnsafeMutablePointer<Float>) -> Void) -> TensorStorage {
        let key = Key(weight: ObjectIdentifier(weight), count: count)
        let cached: TensorStorage? = lock.withLock {
            // A freed weight's address may come back as a new tensor: entries of dead weights go first.
            for (k, e) in entries where e.weight == nil {
                bytes -= e.filters.count * 4
                entries[k] = nil
            }
            return entries[key]?.filters
        }
        if let cached { return cached }
        let filters = TensorStorage(dtype: .f32, count: count, zeroed: false)
        make(filters.raw.assumingMemoryBound(to: Float.self))
        return lock.withLock {
            // Another thread may have made them meanwhile.
            if let other = entries[key]?.filters { return other }
            if bytes + count * 4 <= budgetBytes {
                entries[key] = Entry(weight: weight, filters: filters)
                bytes += count * 4
            }
            return filters
        }
    }

    /// Bytes held now.
    var heldBytes: Int { lock.withLock { bytes } }
}
