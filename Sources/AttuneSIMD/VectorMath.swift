// Vectorised transcendental functions on 16 floats at a time. Foundation's scalar exp/erf
// cost ~10 ns per element, which would dominate softmax, SiLU and GELU in a UNet step.
// Everything here is inlinable, so each caller compiles it for its own target (AVX2 in AttuneTensor,
// AVX-512 in AttuneAVX512).

public typealias Vec16 = SIMD16<Float>

public enum VectorMath {
    /// exp(x), Cephes polynomial (relative error ~2e-7). Inputs are clamped to [-87.3, 88.7]: results
    /// below the smallest normal float become 0, above it saturate at ~3.4e38; NaN stays NaN.
    @inlinable @inline(always)
    public static func exp(_ x: Vec16) -> Vec16 {
        let lo: Float = -87.33654
        var v = pointwiseMin(pointwiseMax(x, Vec16(repeating: lo)), Vec16(repeating: 88.72283))
        // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer and leaves it in the low mantissa bits.
        let magic = Vec16(repeating: 12582912)
        let t = magic.addingProduct(v, Vec16(repeating: 1.44269504088896341))
        let n = t - magic
        v = v.addingProduct(n, Vec16(repeating: -0.693359375))
        v = v.addingProduct(n, Vec16(repeating: 2.12194440e-4))
        var y = Vec16(repeating: 1.3981999507e-3).addingProduct(v, Vec16(repeating: 1.9875691500e-4))
        y = Vec16(repeating: 8.3334519073e-3).addingProduct(y, v)
        y = Vec16(repeating: 4.1665795894e-2).addingProduct(y, v)
        y = Vec16(repeating: 1.6666665459e-1).addingProduct(y, v)
        y = Vec16(repeating: 5.0000001201e-1).addingProduct(y, v)
        y = (v + 1).addingProduct(y, v * v)
        // 2^n = ((n + 127) << 23) reinterpreted as a float.
        let bits = (unsafeBitCast(t, to: SIMD16<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let r = y * unsafeBitCast(bits, to: Vec16.self)
        return r.replacing(with: 0, where: x .< lo)
    }

    /// 2^x for x <= 0, as softmax needs it once the maximum is subtracted (relative error ~1e-7). Inputs below
    /// -126 give 2^-126 rather than 0, which no sum of at least 1 can see; that saves exp's clamping and masking.
    /// A degree-6 fit of 2^f on [-1/2, 1/2] after n = round(x) needs neither exp's two-part ln 2 reduction nor
    /// its scaling by 1/ln 2 (callers fold log2(e) into their operands).
    @inlinable @inline(always)
    public static func exp2NonPositive(_ x: Vec16) -> Vec16 {
        let v = pointwiseMax(x, Vec16(repeating: -126))
        let magic = Vec16(repeating: 12582912)
        let t = v + magic
        let f = v - (t - magic)
        var p = Vec16(repeating: 1.3393629342e-3).addingProduct(f, Vec16(repeating: 1.500451035e-4))
        p = Vec16(repeating: 9.619636461e-3).addingProduct(p, f)
        p = Vec16(repeating: 5.550346151e-2).addingProduct(p, f)
        p = Vec16(repeating: 2.402263731e-1).addingProduct(p, f)
        p = Vec16(repeating: 6.931471825e-1).addingProduct(p, f)
        p = Vec16(repeating: 1).addingProduct(p, f)
        // t's low mantissa bits hold n; shifted into the exponent field (the magic's own bits fall off) plus
        // the bias, they are 2^n.
        let bits = (unsafeBitCast(t, to: SIMD16<UInt32>.self) &<< 23) &+ (127 << 23)
        return p * unsafeBitCast(bits, to: Vec16.self)
    }

    /// erf(x), Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), as PyTorch's vectorised CPU erf.
    @inlinable @inline(always)
    public static func erf(_ x: Vec16) -> Vec16 {
        let ax = abs(x)
        let t = 1 / (ax * 0.3275911 + 1)
        var r = Vec16(repeating: -1.453152027).addingProduct(t, Vec16(repeating: 1.061405429))
        r = Vec16(repeating: 1.421413741).addingProduct(r, t)
        r = Vec16(repeating: -0.284496736).addingProduct(r, t)
        r = Vec16(repeating: 0.254829592).addingProduct(r, t)
        let e = exp(-(x * x))
        let y = Vec16(repeating: 1).addingProduct(-(r * t), e)
        return y.replacing(with: -y, where: x .< 0)
    }

    @inlinable @inline(always)
    public static func sigmoid(_ x: Vec16) -> Vec16 { 1 / (1 + exp(-x)) }

    @inlinable @inline(always)
    static func abs(_ x: Vec16) -> Vec16 { x.replacing(with: -x, where: x .< 0) }
}

@inlinable @inline(always)
public func pointwiseMax(_ a: Vec16, _ b: Vec16) -> Vec16 { a.replacing(with: b, where: b .> a) }

@inlinable @inline(always)
public func pointwiseMin(_ a: Vec16, _ b: Vec16) -> Vec16 { a.replacing(with: b, where: b .< a) }

extension VectorMath {

    /// Scalar versions share the vector code so that tails give the same answers as bodies.
    @inlinable
    public static func exp(_ x: Float) -> Float { exp(Vec16(repeating: x))[0] }
    @inlinable
    public static func erf(_ x: Float) -> Float { erf(Vec16(repeating: x))[0] }
}
