// Elementwise maps over float buffers through VectorMath's 16-wide functions.
@_exported import AttuneSIMD

/// Applies `f` to every element of `src` (16 at a time) into `dst`; tails are padded through the vector path.
@inlinable
public func mapVectorized(
    _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
    _ f: (Vec16) -> Vec16
) {
    parallelFor(count, grain: 1 << 15) { lo, hi in
        var i = lo
        while i + 16 <= hi {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: Vec16.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: f(v), as: Vec16.self)
            i += 16
        }
        if i < hi {
            var v = Vec16(repeating: 0)
            for j in i..<hi { v[j - i] = src[j] }
            let r = f(v)
            for j in i..<hi { dst[j] = r[j - i] }
        }
    }
}
