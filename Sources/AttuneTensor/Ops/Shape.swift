// Moving elements between shapes: concat, split, slice, permute.

/// Joins tensors along `axis`; all other dimensions must agree.
public func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    OpProfile.measure("concat") {
        precondition(!parts.isEmpty, "concat: no tensors")
        let parts = parts.map { $0.widened() }
        let first = parts[0]
        let a = first.normalizedAxis(axis)
        for p in parts {
            precondition(
                p.rank == first.rank && p.shape.enumerated().allSatisfy { $0.offset == a || $0.element == first.shape[$0.offset] },
                "concat: shape \(p.shape) does not match \(first.shape) outside axis \(a)")
        }
        var shape = first.shape
        shape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        var out = Tensor(uninitialized: shape)
        let po = out.mutableFloats.baseAddress!
        let rowOut = shape[a] * inner
        var offset = 0
        for p in parts {
            let run = p.shape[a] * inner
            let src = p.floats.baseAddress!
            parallelFor(outer, grain: max(1, 16384 / max(run, 1))) { lo, hi in
                for o in lo..<hi { (po + o * rowOut + offset).update(from: src + o * run, count: run) }
            }
            offset += run
        }
        return out
    }
}

/// Elements start..<start+length along `axis` (a copy).
public func slice(_ x: Tensor, axis: Int, start: Int, length: Int) -> Tensor {
    OpProfile.measure("slice") {
        let x = x.widened()
        let a = x.normalizedAxis(axis)
        precondition(start >= 0 && length >= 0 && start + length <= x.shape[a],
                     "slice: \(start)..<\(start + length) is outside axis \(a) of \(x.shape)")
        var shape = x.shape
        shape[a] = length
        let outer = x.shape[..<a].reduce(1, *), inner = x.shape[(a + 1)...].reduce(1, *)
        var out = Tensor(uninitialized: shape)
        let po = out.mutableFloats.baseAddress!, px = x.floats.baseAddress!
        let run = length * inner, rowIn = x.shape[a] * inner
        parallelFor(outer, grain: max(1, 16384 / max(run, 1))) { lo, hi in
            for o in lo..<hi { (po + o * run).update(from: px + o * rowIn + start * inner, count: run) }
        }
        return out
    }
}

/// Splits along `axis` into `count` equal parts (torch.chunk with an even split).
public func split(_ x: Tensor, count: Int, axis: Int) -> [Tensor] {
    let d = x.dim(axis)
    precondition(count > 0 && d % count == 0, "split: axis of size \(d) does not split into \(count) equal parts")
    return (0..<count).map { slice(x, axis: axis, start: $0 * d / count, length: d / count) }
}

/// Reorders axes: output axis i is input axis `order[i]`.
public func permute(_ x: Tensor, _ order: [Int]) -> Tensor {
    OpProfile.measure("permute") {
        let x = x.widened()
        precondition(order.sorted() == Array(0..<x.rank), "permute: \(order) is not a permutation of \(x.rank) axes")
        let shape = order.map { x.shape[$0] }
        var inStrides = [Int](repeating: 1, count: x.rank)
        for i in stride(from: x.rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * x.shape[i + 1] }
        let strides = order.map { inStrides[$0] }
        var out = Tensor(uninitialized: shape)
        let po = out.mutableFloats.baseAddress!, px = x.floats.baseAddress!
        let inner = shape.last ?? 1, innerStride = strides.last ?? 1
        let rows = x.count / max(inner, 1)
        parallelFor(rows, grain: max(1, 8192 / max(inner, 1))) { lo, hi in
            for r in lo..<hi {
                var rem = r, off = 0
                for d in stride(from: shape.count - 2, through: 0, by: -1) {
                    off += (rem % shape[d]) * strides[d]
                    rem /= shape[d]
                }
                let dst = po + r * inner
                for j in 0..<inner { dst[j] = px[off + j * innerStride] }
            }
        }
        return out
    }
}

/// [N, C, H, W] -> [N, H*W, C]: image features to a token sequence.
public func tokensFromImage(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "tokensFromImage: expected [N, C, H, W], got \(x.shape)")
    return permute(x.reshaped([x.shape[0], x.shape[1], x.shape[2] * x.shape[3]]), [0, 2, 1])
}

/// [N, H*W, C] -> [N, C, H, W].
public func imageFromTokens(_ x: Tensor, height: Int, width: Int) -> Tensor {
    precondition(x.rank == 3 && x.shape[1] == height * width, "imageFromTokens: \(x.shape) is not [N, \(height)*\(width), C]")
    return permute(x, [0, 2, 1]).reshaped([x.shape[0], x.shape[2], height, width])
}
