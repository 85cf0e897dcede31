// The live-tuning cache: what the fixed branches of an edit (the source; MCA-Ctrl's condition and subject)
// computed at every step — their noise predictions and the queries, keys and values of their attention
// calls, in fp16 — so that re-editing the same source with another S, L, target prompt, mask or method runs
// the UNet on the target branches only. Bounded by a byte limit; steps that did not fit run in full.
import AttuneModels
import AttuneTensor
import Foundation

/// What a method's target side reads from the fixed branches; only that is stored.
public struct FixedBranchReads {
    public var selfQuery: (AttentionSite, Int) -> Bool
    public var selfKeyValue: (AttentionSite, Int) -> Bool
    public var crossQuery: (AttentionSite, Int) -> Bool

    public init(selfQuery: @escaping (AttentionSite, Int) -> Bool = { _, _ in false },
                selfKeyValue: @escaping (AttentionSite, Int) -> Bool = { _, _ in false },
                crossQuery: @escaping (AttentionSite, Int) -> Bool = { _, _ in false }) {
        self.selfQuery = selfQuery
        self.selfKeyValue = selfKeyValue
        self.crossQuery = crossQuery
    }

    public static let everything = FixedBranchReads(selfQuery: { _, _ in true }, selfKeyValue: { _, _ in true }, crossQuery: { _, _ in true })

    func wants(_ site: AttentionSite, tokens: Int) -> (q: Bool, kv: Bool) {
        site.kind == .selfAttention ? (selfQuery(site, tokens), selfKeyValue(site, tokens)) : (crossQuery(site, tokens), true)
    }
}

public final class FixedBranchCache {
    /// One attention call's fixed rows ([rows, N, C], fp16; rows are the fixed branches of each guidance half in
    /// batch order). A tensor the method does not read is nil.
    struct Call {
        let site: AttentionSite
        let tokens: Int
        var q: Tensor?
        var k: Tensor?
        var v: Tensor?
        var bytes: Int { [q, k, v].compactMap { $0 }.reduce(0) { $0 + $1.count * $1.dtype.byteSize } }
    }

    struct Step {
        var calls: [String: Call] = [:]
        /// ε of the fixed branches after guidance, [F, 4, h, w].
        var noise: Tensor?
        var bytes: Int { calls.values.reduce(0) { $0 + $1.bytes } + (noise?.count ?? 0) * 4 }
    }

    public let limitBytes: Int
    private(set) var key: String?
    private var steps: [Int: Step] = [:]
    private(set) public var bytes = 0

    public init(limitBytes: Int = 2 << 30) { self.limitBytes = limitBytes }

    /// Forgets everything unless the fixed branches are the ones described by `key`.
    func select(_ key: String) {
        guard key != self.key else { return }
        self.key = key
        steps.removeAll()
        bytes = 0
    }

    /// A recorded step that holds everything `reads` asks for.
    func complete(_ step: Int, reads: FixedBranchReads) -> Step? {
        guard let entry = steps[step], entry.noise != nil else { return nil }
        for call in entry.calls.values {
            let want = reads.wants(call.site, tokens: call.tokens)
            if (want.q && call.q == nil) || (want.kv && (call.k == nil || call.v == nil)) { return nil }
        }
        return entry
    }

    /// Stores a fully recorded step (replacing an older record of it) if it fits under the limit.
    func store(_ step: Int, _ entry: Step) {
        let old = steps[step]?.bytes ?? 0
        guard bytes - old + entry.bytes <= limitBytes else { return }
        steps[step] = entry
        bytes += entry.bytes - old
    }

    /// What an earlier record of `step` kept, so that a new recording keeps it too (methods read different parts).
    func reads(unionWith reads: FixedBranchReads, step: Int) -> FixedBranchReads {
        guard let entry = steps[step] else { return reads }
        let kept = entry.calls
        return FixedBranchReads(
            selfQuery: { site, n in reads.selfQuery(site, n) || (site.kind == .selfAttention && kept[site.path]?.q != nil) },
            selfKeyValue: { site, n in reads.selfKeyValue(site, n) || (site.kind == .selfAttention && kept[site.path]?.k != nil) },
            crossQuery: { site, n in reads.crossQuery(site, n) || (site.kind == .crossAttention && kept[site.path]?.q != nil) })
    }
}

/// Keeps the fixed rows of every attention call of one step (a full-batch step, whose result is cached).
final class FixedRowRecorder: AttentionProcessor {
    let fixed: Int
    let reads: FixedBranchReads
    private(set) var step = FixedBranchCache.Step()

    init(fixed: Int, reads: FixedBranchReads) {
        self.fixed = fixed
        self.reads = reads
    }

    func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        let rows = call.layout.halves.flatMap { Array($0.prefix(fixed)) }
        let want = reads.wants(call.site, tokens: call.height * call.width)
        func pick(_ t: Tensor) -> Tensor { concat(rows.map { t.item($0) }, axis: 0).converted(to: .f16) }
        step.calls[call.site.path] = FixedBranchCache.Call(site: call.site, tokens: call.height * call.width, q: want.q ? pick(call.q) : nil,
                                                           k: want.kv ? pick(call.k) : nil, v: want.kv ? pick(call.v) : nil)
        return next(call)
    }
}

/// In a step taken from the cache the UNet batch holds only the live (target) branches: this puts the fixed
/// rows back into every attention call, so the method's processors see the full batch, and returns the
/// live rows of the output.
final class FixedRowInjector: AttentionProcessor {
    let fixed: Int
    let step: FixedBranchCache.Step

    init(fixed: Int, step: FixedBranchCache.Step) {
        self.fixed = fixed
        self.step = step
    }

    func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard let cached = step.calls[call.site.path] else {
            preconditionFailure("FixedRowInjector: no cached rows for \(call.site.path)")
        }
        let live = call.layout.branches
        let layout = BatchLayout(branches: fixed + live, guided: call.layout.guided)
        // Rows the method does not read stand in as zeros; their outputs are dropped below.
        func merge(_ liveRows: Tensor, _ fixedRows: Tensor?) -> Tensor {
            var parts: [Tensor] = []
            for (h, half) in call.layout.halves.enumerated() {
                for f in 0..<fixed {
                    parts.append(fixedRows.map { $0.item(h * fixed + f).widened() } ?? Tensor(zeros: [1] + Array(liveRows.shape.dropFirst())))
                }
                parts += half.map { liveRows.item($0) }
            }
            return concat(parts, axis: 0)
        }
        let full = AttentionCall(site: call.site, height: call.height, width: call.width, step: call.step, layout: layout,
                                 q: merge(call.q, cached.q), k: merge(call.k, cached.k), v: merge(call.v, cached.v),
                                 scale: call.scale, options: call.options)
        let out = next(full)
        return concat(layout.halves.flatMap { $0.dropFirst(fixed) }.map { out.item($0) }, axis: 0)
    }
}
