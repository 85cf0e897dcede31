// Reductions: numerically stable softmax, sums and means along an axis.

/// Softmax over `count` contiguous floats in place: subtract the max, exponentiate, normalise.
/// With `normalize: false` the row is left as exp(x - max) and the caller divides by the returned sum
/// (attention folds that division into its output). A row that is entirely -inf becomes zeros.
@inlinable @discardableResult
public func softmaxRow(_ row: UnsafeMutablePointer<Float>, count: Int, normalize: Bool = true) -> Float {
    var m0 = Vec16(repeating: -.infinity), m1 = m0
    var i = 0
    while i + 32 <= count {
        m0 = pointwiseMax(m0, UnsafeRawPointer(row + i).loadUnaligned(as: Vec16.self))
        m1 = pointwiseMax(m1, UnsafeRawPointer(row + i + 16).loadUnaligned(as: Vec16.self))
        i += 32
    }
    var m = pointwiseMax(m0, m1).max()
    while i < count { m = Swift.max(m, row[i]); i += 1 }
    if m == -.infinity {
        row.update(repeating: 0, count: count)
        return 0
    }
    let shift = Vec16(repeating: m)
    var s0 = Vec16(repeating: 0), s1 = s0
    i = 0
    while i + 32 <= count {
        let e0 = VectorMath.exp(UnsafeRawPointer(row + i).loadUnaligned(as: Vec16.self) - shift)
        let e1 = VectorMath.exp(UnsafeRawPointer(row + i + 16).loadUnaligned(as: Vec16.self) - shift)
        UnsafeMutableRawPointer(row + i).storeBytes(of: e0, as: Vec16.self)
        UnsafeMutableRawPointer(row + i + 16).storeBytes(of: e1, as: Vec16.self)
        s0 += e0
        s1 += e1
        i += 32
    }
    var s = (s0 + s1).sum()
    while i < count {
        let e = VectorMath.exp(row[i] - m)
        row[i] = e
        s += e
        i += 1
    }
    if normalize { scaleRow(row, count: count, by: 1 / s) }
    return s
}

@inlinable
public func scaleRow(_ row: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    let f = Vec16(repeating: factor)
    var i = 0
    while i + 16 <= count {
        let v = UnsafeRawPointer(row + i).loadUnaligned(as: Vec16.self) * f
        UnsafeMutableRawPointer(row + i).storeBytes(of: v, as: Vec16.self)
        i += 16
    }
    while i < count { row[i] *= factor; i += 1 }
}

/// Softmax along the last axis.
public func softmax(_ x: Tensor) -> Tensor {
    var out = x.widened()
    let n = out.shape.last ?? 1
    let rows = out.count / max(n, 1)
    let p = out.mutableFloats.baseAddress!
    parallelFor(rows, grain: max(1, 8192 / max(n, 1))) { lo, hi in
        for r in lo..<hi { softmaxRow(p + r * n, count: n) }
    }
    return out
}

/// Sum along `axis` (the axis is removed unless `keepDim`). Accumulates in Double.
public func sum(_ x: Tensor, axis: Int, keepDim: Bool = false) -> Tensor {
    let x = x.widened()
    let a = x.normalizedAxis(axis)
    let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
    var shape = x.shape
    if keepDim { shape[a] = 1 } else { shape.remove(at: a) }
    var out = Tensor(zeros: shape)
    let px = x.floats.baseAddress!, po = out.mutableFloats.baseAddress!
    parallelFor(outer * inner, grain: 256) { lo, hi in
        for idx in lo..<hi {
            let o = idx / inner, i = idx % inner
            var s = 0.0
            for k in 0..<n { s += Double(px[(o * n + k) * inner + i]) }
            po[idx] = Float(s)
        }
    }
    return out
}

public func mean(_ x: Tensor, axis: Int, keepDim: Bool = false) -> Tensor {
    sum(x, axis: axis, keepDim: keepDim) * (1 / Float(x.dim(axis)))
}
