// Group normalisation (NCHW) and layer normalisation (last axis), with an optional fused activation.

/// Mean and 1/sqrt(var + eps) of `count` floats (two passes, vector partial sums).
@inlinable
func meanAndInvStd(_ p: UnsafePointer<Float>, count: Int, eps: Float) -> (Float, Float) {
    var acc = Vec16(repeating: 0)
    var i = 0
    while i + 16 <= count { acc += UnsafeRawPointer(p + i).loadUnaligned(as: Vec16.self); i += 16 }
    var s = Double(acc.sum())
    while i < count { s += Double(p[i]); i += 1 }
    let mean = Float(s / Double(count))
    let vmean = Vec16(repeating: mean)
    acc = Vec16(repeating: 0)
    i = 0
    while i + 16 <= count {
        let d = UnsafeRawPointer(p + i).loadUnaligned(as: Vec16.self) - vmean
        acc += d * d
        i += 16
    }
    var v = Double(acc.sum())
    while i < count { let d = p[i] - mean; v += Double(d * d); i += 1 }
    let variance = Float(v / Double(count))
    return (mean, 1 / (variance + eps).squareRoot())
}

/// y = act((x - mean) / sqrt(var + eps) * scale + shift) over `count` floats.
@inlinable
func normalizeRun(
    _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
    mean: Float, invStd: Float, scale: Float, shift: Float, activation: Activation?
) {
    let a = Vec16(repeating: invStd * scale), b = Vec16(repeating: shift - mean * invStd * scale)
    var i = 0
    while i + 16 <= count {
        var y = UnsafeRawPointer(src + i).loadUnaligned(as: Vec16.self) * a + b
        if let act = activation { y = act.apply(y) }
        UnsafeMutableRawPointer(dst + i).storeBytes(of: y, as: Vec16.self)
        i += 16
    }
    while i < count {
        var y = Vec16(repeating: src[i]) * a + b
        if let act = activation { y = act.apply(y) }
        dst[i] = y[0]
        i += 1
    }
}

/// GroupNorm over NCHW (or N,C,...) input with per-channel affine weight and bias.
public func groupNorm(
    _ x: Tensor, groups: Int, weight: Tensor, bias: Tensor, eps: Float, activation: Activation? = nil
) -> Tensor {
    OpProfile.measure("groupNorm") {
        let x = x.widened()
        precondition(x.rank >= 2, "groupNorm: expected at least [N, C], got \(x.shape)")
        let n = x.shape[0], c = x.shape[1], spatial = x.count / max(n * c, 1)
        precondition(c % groups == 0, "groupNorm: \(c) channels do not split into \(groups) groups")
        precondition(weight.count == c && bias.count == c, "groupNorm: affine parameters must have \(c) elements, got \(weight.shape), \(bias.shape)")
        let w = weight.widened(), b = bias.widened()
        var out = Tensor(uninitialized: x.shape)
        let px = x.floats.baseAddress!, po = out.mutableFloats.baseAddress!
        let pw = w.floats.baseAddress!, pb = b.floats.baseAddress!
        let perGroup = c / groups
        parallelFor(n * groups, grain: 1) { lo, hi in
            for ng in lo..<hi {
                let base = ng * perGroup * spatial
                let (m, r) = meanAndInvStd(px + base, count: perGroup * spatial, eps: eps)
                let g = ng % groups
                for k in 0..<perGroup {
                    let ch = g * perGroup + k, off = base + k * spatial
                    normalizeRun(px + off, po + off, count: spatial, mean: m, invStd: r, scale: pw[ch], shift: pb[ch], activation: activation)
                }
            }
        }
        return out
    }
}

/// LayerNorm over the last axis with affine weight and bias.
public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor, eps: Float) -> Tensor {
    OpProfile.measure("layerNorm") {
        let x = x.widened()
        let d = x.shape.last ?? 1
        precondition(weight.count == d && bias.count == d, "layerNorm: affine parameters must have \(d) elements, got \(weight.shape), \(bias.shape)")
        let w = weight.widened(), b = bias.widened()
        var out = Tensor(uninitialized: x.shape)
        let rows = x.count / max(d, 1)
        let px = x.floats.baseAddress!, po = out.mutableFloats.baseAddress!
        let pw = w.floats.baseAddress!, pb = b.floats.baseAddress!
        parallelFor(rows, grain: max(1, 8192 / max(d, 1))) { lo, hi in
            for r in lo..<hi {
                let src = px + r * d, dst = po + r * d
                let (m, inv) = meanAndInvStd(src, count: d, eps: eps)
                var j = 0
                let vm = Vec16(repeating: m), vi = Vec16(repeating: inv)
                while j + 16 <= d {
                    let v = (UnsafeRawPointer(src + j).loadUnaligned(as: Vec16.self) - vm) * vi
                    let y = v * UnsafeRawPointer(pw + j).loadUnaligned(as: Vec16.self) + UnsafeRawPointer(pb + j).loadUnaligned(as: Vec16.self)
                    UnsafeMutableRawPointer(dst + j).storeBytes(of: y, as: Vec16.self)
                    j += 16
                }
                while j < d { dst[j] = (src[j] - m) * inv * pw[j] + pb[j]; j += 1 }
            }
        }
        return out
    }
}
