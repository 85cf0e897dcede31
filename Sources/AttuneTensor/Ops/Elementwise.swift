// Elementwise math with NumPy broadcasting, and the activations of Stable Diffusion.

public enum BinaryOp: Sendable {
    case add, sub, mul, div

    @inlinable @inline(always)
    func apply(_ a: Vec16, _ b: Vec16) -> Vec16 {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        }
    }

    @inlinable @inline(always)
    func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        }
    }
}

/// The broadcast shape of two shapes (NumPy rules), or nil when they do not broadcast.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
}

/// Strides (in elements) of `shape` when read as `target`, 0 on broadcast dimensions.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let offset = target.count - shape.count
    var strides = [Int](repeating: 0, count: target.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + offset] = shape[i] == 1 ? 0 : s
        s *= shape[i]
    }
    return strides
}

public func binary(_ a: Tensor, _ b: Tensor, _ op: BinaryOp) -> Tensor {
    OpProfile.measure("binary") {
        let a = a.widened(), b = b.widened()
        if a.shape == b.shape {
            var out = Tensor(uninitialized: a.shape)
            let pa = a.floats.baseAddress!, pb = b.floats.baseAddress!, po = out.mutableFloats.baseAddress!
            parallelFor(a.count, grain: 1 << 15) { lo, hi in
                var i = lo
                while i + 16 <= hi {
                    let va = UnsafeRawPointer(pa + i).loadUnaligned(as: Vec16.self)
                    let vb = UnsafeRawPointer(pb + i).loadUnaligned(as: Vec16.self)
                    UnsafeMutableRawPointer(po + i).storeBytes(of: op.apply(va, vb), as: Vec16.self)
                    i += 16
                }
                while i < hi { po[i] = op.apply(pa[i], pb[i]); i += 1 }
            }
            return out
        }
        guard let shape = broadcastShape(a.shape, b.shape) else {
            preconditionFailure("binary \(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        // Walk the output row by row (last dimension); each row reads a and b with stride 0 or 1.
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        var out = Tensor(uninitialized: shape)
        let inner = shape.last ?? 1
        let rows = shape.count <= 1 ? 1 : shape.dropLast().reduce(1, *)
        let ia = sa.last ?? 0, ib = sb.last ?? 0
        let pa = a.floats.baseAddress!, pb = b.floats.baseAddress!, po = out.mutableFloats.baseAddress!
        parallelFor(rows, grain: max(1, 8192 / max(inner, 1))) { lo, hi in
            for r in lo..<hi {
                var rem = r, oa = 0, ob = 0
                for d in stride(from: shape.count - 2, through: 0, by: -1) {
                    let idx = rem % shape[d]
                    rem /= shape[d]
                    oa += idx * sa[d]
                    ob += idx * sb[d]
                }
                let ra = pa + oa, rb = pb + ob, ro = po + r * inner
                for j in 0..<inner {
                    ro[j] = op.apply(ra[j * ia], rb[j * ib])
                }
            }
        }
        return out
    }
}

public func + (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .add) }
public func - (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .sub) }
public func * (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .mul) }
public func / (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .div) }

/// Applies a vector function to every element.
public func map(_ x: Tensor, _ f: (Vec16) -> Vec16) -> Tensor {
    OpProfile.measure("map") {
        let x = x.widened()
        var out = Tensor(uninitialized: x.shape)
        mapVectorized(x.floats.baseAddress!, out.mutableFloats.baseAddress!, count: x.count, f)
        return out
    }
}

public func * (a: Tensor, s: Float) -> Tensor { map(a) { $0 * s } }
public func + (a: Tensor, s: Float) -> Tensor { map(a) { $0 + s } }
public func - (a: Tensor, s: Float) -> Tensor { map(a) { $0 - s } }
public prefix func - (a: Tensor) -> Tensor { map(a) { -$0 } }

public enum Activation: Sendable {
    case silu, gelu, quickGelu, sigmoid, relu

    @inlinable @inline(always)
    public func apply(_ x: Vec16) -> Vec16 {
        switch self {
        case .silu: return x * VectorMath.sigmoid(x)
        // Exact (erf) GELU, as torch.nn.functional.gelu's default.
        case .gelu: return 0.5 * x * (1 + VectorMath.erf(x * 0.70710678118654752))
        // CLIP's x * sigmoid(1.702 x).
        case .quickGelu: return x * VectorMath.sigmoid(1.702 * x)
        case .sigmoid: return VectorMath.sigmoid(x)
        case .relu: return x.replacing(with: 0, where: x .< 0)
        }
    }
}

public func activation(_ x: Tensor, _ act: Activation) -> Tensor { map(x) { act.apply($0) } }
public func silu(_ x: Tensor) -> Tensor { activation(x, .silu) }
public func gelu(_ x: Tensor) -> Tensor { activation(x, .gelu) }
public func quickGelu(_ x: Tensor) -> Tensor { activation(x, .quickGelu) }

/// GEGLU: the last dimension holds [h, g]; returns h * gelu(g) (diffusers' GEGLU, first half is h). `bias`
/// ([2d]) is the projection's bias, added here rather than in the GEMM (one pass over the product fewer).
public func geglu(_ x: Tensor, bias: Tensor? = nil) -> Tensor {
    OpProfile.measure("geglu") {
        let x = x.widened()
        let d2 = x.shape.last ?? 0
        precondition(d2 % 2 == 0, "geglu: last dimension \(d2) is odd")
        precondition(bias == nil || bias!.count == d2, "geglu: bias must have \(d2) elements")
        let d = d2 / 2
        var outShape = x.shape
        outShape[outShape.count - 1] = d
        var out = Tensor(uninitialized: outShape)
        let rows = x.count / max(d2, 1)
        let zeros = Tensor(zeros: [d2])
        let b = (bias ?? zeros).widened()
        withExtendedLifetime(b) {
            let px = x.floats.baseAddress!, po = out.mutableFloats.baseAddress!, pb = b.floats.baseAddress!
            parallelFor(rows, grain: max(1, 16384 / max(d, 1))) { lo, hi in
                for r in lo..<hi {
                    let h = px + r * d2, g = h + d, o = po + r * d
                    var j = 0
                    while j + 16 <= d {
                        let vh = UnsafeRawPointer(h + j).loadUnaligned(as: Vec16.self) + UnsafeRawPointer(pb + j).loadUnaligned(as: Vec16.self)
                        let vg = UnsafeRawPointer(g + j).loadUnaligned(as: Vec16.self) + UnsafeRawPointer(pb + d + j).loadUnaligned(as: Vec16.self)
                        UnsafeMutableRawPointer(o + j).storeBytes(of: vh * Activation.gelu.apply(vg), as: Vec16.self)
                        j += 16
                    }
                    while j < d { o[j] = (h[j] + pb[j]) * Activation.gelu.apply(Vec16(repeating: g[j] + pb[d + j]))[0]; j += 1 }
                }
            }
        }
        return out
    }
}

/// a + b (+ bias along the last axis) written into a (same shape): residual connections without an extra
/// allocation, with the bias of the layer that made b folded in.
public func addInPlace(_ a: inout Tensor, _ b: Tensor, bias: Tensor? = nil) {
    OpProfile.measure("addInPlace") {
        precondition(a.shape == b.shape, "addInPlace: shapes \(a.shape) and \(b.shape) differ")
        let b = b.widened()
        let pa = a.mutableFloats.baseAddress!, pb = b.floats.baseAddress!
        guard let bias else {
            parallelFor(a.count, grain: 1 << 15) { lo, hi in
                var i = lo
                while i + 16 <= hi {
                    let va = UnsafeRawPointer(pa + i).loadUnaligned(as: Vec16.self)
                    let vb = UnsafeRawPointer(pb + i).loadUnaligned(as: Vec16.self)
                    UnsafeMutableRawPointer(pa + i).storeBytes(of: va + vb, as: Vec16.self)
                    i += 16
                }
                while i < hi { pa[i] += pb[i]; i += 1 }
            }
            return
        }
        let d = a.shape.last ?? 1
        precondition(bias.count == d, "addInPlace: bias has \(bias.count) elements for rows of \(d)")
        let wide = bias.widened()
        withExtendedLifetime(wide) {
            let pc = wide.floats.baseAddress!
            parallelFor(a.count / max(d, 1), grain: max(1, 16384 / max(d, 1))) { lo, hi in
                for r in lo..<hi {
                    let ra = pa + r * d, rb = pb + r * d
                    var j = 0
                    while j + 16 <= d {
                        let v = UnsafeRawPointer(ra + j).loadUnaligned(as: Vec16.self)
                            + (UnsafeRawPointer(rb + j).loadUnaligned(as: Vec16.self) + UnsafeRawPointer(pc + j).loadUnaligned(as: Vec16.self))
                        UnsafeMutableRawPointer(ra + j).storeBytes(of: v, as: Vec16.self)
                        j += 16
                    }
                    while j < d { ra[j] += rb[j] + pc[j]; j += 1 }
                }
            }
        }
    }
}
