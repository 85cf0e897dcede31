// Records attention probabilities, averaged over heads, for the calls a filter selects: cross-attention
// maps per token (what the masks-from-cross-attention of MasaCtrl and MCA-Ctrl, the inspector and the
// heat-map export read) and self-attention rows of chosen query pixels. It only observes: the
// probabilities it sees are left as they are.
import AttuneModels
import AttuneTensor
import Foundation

public final class AttentionMapRecorder: AttentionProcessor, @unchecked Sendable {
    /// One recorded call: head-averaged probabilities [B, N, keys] for the N = height*width queries.
    public struct Record {
        public let site: AttentionSite
        public let step: DenoisingStep
        public let height: Int
        public let width: Int
        public let probabilities: Tensor
    }

    public let filter: (AttentionSite, DenoisingStep, Int, Int) -> Bool
    /// Only these query rows are kept when set (a self-attention map of chosen pixels; N x N rows would be huge).
    public let queryRows: [Int]?
    private let lock = NSLock()
    private var stored: [Record] = []

    /// `filter(site, step, height, width)` selects the calls to record.
    public init(queryRows: [Int]? = nil, filter: @escaping (AttentionSite, DenoisingStep, Int, Int) -> Bool) {
        self.queryRows = queryRows
        self.filter = filter
    }

    public var records: [Record] { lock.withLock { stored } }

    public func removeAll() { lock.withLock { stored.removeAll() } }

    /// Drops records of steps before `step` (for memory, once they are no longer needed).
    public func removeSteps(before step: Int) { lock.withLock { stored.removeAll { $0.step.index < step } } }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        guard filter(call.site, call.step, call.height, call.width) else { return next(call) }
        let batch = call.q.dim(0), keys = call.k.dim(1), heads = call.site.heads
        let rows = queryRows ?? Array(0..<(call.height * call.width))
        let rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($0.element, $0.offset) })
        var sums = Tensor(zeros: [batch, rows.count, keys])
        let ps = sums.mutableFloats.baseAddress!
        let lock = NSLock()
        let weight = 1 / Float(heads)
        var c = call
        let inner = c.options.probabilityObserver
        c.options.probabilityObserver = { block in
            inner?(block)
            lock.withLock {
                for b in 0..<block.batch {
                    for r in 0..<block.rows {
                        guard let out = rowIndex[block.rowStart + r] else { continue }
                        let src = block.row(batch: b, row: r), dst = ps + (b * rows.count + out) * keys
                        for j in 0..<keys { dst[j] += src[j] * weight }
                    }
                }
            }
        }
        let output = next(c)
        let record = Record(site: call.site, step: call.step, height: call.height, width: call.width, probabilities: sums)
        self.lock.withLock { stored.append(record) }
        return output
    }
}

extension AttentionMapRecorder {
    /// Records the cross-attention maps at one UNet level (level 2 = the 16x16 layers at 512x512, which
    /// MasaCtrl and MCA-Ctrl use for their masks).
    public static func crossAttention(level: Int) -> AttentionMapRecorder {
        AttentionMapRecorder { site, _, _, _ in site.kind == .crossAttention && site.level == level }
    }

    /// Mean over the given records of the token columns' sum for batch item `item`: a map at the records' size.
    public static func tokenMap(_ records: [Record], item: Int, tokens: [Int]) -> Mask? {
        guard let first = records.first else { return nil }
        let n = first.height * first.width, keys = first.probabilities.dim(2)
        var acc = [Float](repeating: 0, count: n)
        for r in records where r.height == first.height && r.width == first.width {
            let p = r.probabilities.floats.baseAddress! + item * n * keys
            for i in 0..<n { for t in tokens where t < keys { acc[i] += p[i * keys + t] } }
        }
        let count = Float(records.filter { $0.height == first.height && $0.width == first.width }.count)
        return Mask(height: first.height, width: first.width, values: acc.map { $0 / count })
    }
}
