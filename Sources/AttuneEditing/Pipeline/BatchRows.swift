// Picking and replacing batch items of token tensors [B, N, C]: the editors' way of reading one branch
// of one classifier-free-guidance half and writing its attention output back.
import AttuneModels
import AttuneTensor

extension Tensor {
    /// Batch item `i` as a [1, ...] tensor.
    func item(_ i: Int) -> Tensor { slice(self, axis: 0, start: i, length: 1) }

    /// The batch with item `i` replaced by `row` ([1, ...]).
    func replacingItem(_ i: Int, with row: Tensor) -> Tensor {
        precondition(row.dim(0) == 1 && Array(row.shape.dropFirst()) == Array(shape.dropFirst()),
                     "replacingItem: \(row.shape) does not fit an item of \(shape)")
        var out = self.widened()
        let n = count / dim(0)
        let src = row.widened()
        (out.mutableFloats.baseAddress! + i * n).update(from: src.floats.baseAddress!, count: n)
        return out
    }

    /// Each query position's value scaled by `weights` (length N), for [1, N, C] attention outputs.
    func scaledRows(_ weights: [Float]) -> Tensor {
        precondition(rank == 3 && dim(1) == weights.count, "scaledRows: \(weights.count) weights for \(shape)")
        return self * Tensor(weights, shape: [1, weights.count, 1])
    }
}

extension AttentionCall {
    /// Attention of batch item `query` against the keys/values of item `keys`, with an optional key mask, as a [1, N, C] output.
    func attend(query: Int, keys: Int, keyMask: Mask? = nil, queries: Tensor? = nil) -> Tensor {
        var options = AttentionOptions()
        if let keyMask {
            let m = keyMask.resized(height: height, width: width)
            options.keyBias = Tensor(m.keyBias, shape: [1, m.values.count])
        }
        return scaledDotProductAttention(q: queries ?? q.item(query), k: k.item(keys), v: v.item(keys),
                                         heads: site.heads, scale: scale, options: options)
    }

    /// A mask resized to this call's feature map, flattened in query order.
    func resized(_ mask: Mask) -> [Float] { mask.resized(height: height, width: width).values }
}
