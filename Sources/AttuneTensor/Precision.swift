// fp16 / bf16 <-> fp32 conversion. Weights stay in their stored precision and are widened on use.

enum Precision {
    static func widen(_ src: UnsafeRawPointer, dtype: DType, count: Int, into dst: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            dst.update(from: src.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            let s = src.assumingMemoryBound(to: Float16.self)
            parallelFor(count, grain: 1 << 16) { lo, hi in
                var i = lo
                while i + 16 <= hi {
                    let h = UnsafeRawPointer(s + i).loadUnaligned(as: SIMD16<Float16>.self)
                    UnsafeMutableRawPointer(dst + i).storeBytes(of: SIMD16<Float>(h), as: SIMD16<Float>.self)
                    i += 16
                }
                while i < hi { dst[i] = Float(s[i]); i += 1 }
            }
        case .bf16:
            // bf16 is the top half of an IEEE float32.
            let s = src.assumingMemoryBound(to: UInt16.self)
            parallelFor(count, grain: 1 << 16) { lo, hi in
                for i in lo..<hi { dst[i] = Float(bitPattern: UInt32(s[i]) << 16) }
            }
        }
    }

    static func narrow(_ src: UnsafePointer<Float>, count: Int, to dtype: DType, into dst: UnsafeMutableRawPointer) {
        switch dtype {
        case .f32:
            dst.copyMemory(from: src, byteCount: count * 4)
        case .f16:
            let d = dst.assumingMemoryBound(to: Float16.self)
            for i in 0..<count { d[i] = Float16(src[i]) }
        case .bf16:
            let d = dst.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { d[i] = bfloat16Bits(src[i]) }
        }
    }

    /// Round to nearest even, as torch does when casting to bfloat16.
    static func bfloat16Bits(_ x: Float) -> UInt16 {
        if x.isNaN { return 0x7FC0 }
        let bits = x.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
