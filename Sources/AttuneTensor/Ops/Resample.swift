// Spatial resampling of NCHW feature maps: nearest 2x upsampling, average pooling, pixel unshuffle.

/// Nearest-neighbour upsampling by 2 in H and W (torch.nn.functional.interpolate, scale 2, mode nearest).
public func upsampleNearest2x(_ x: Tensor) -> Tensor {
    OpProfile.measure("upsample") {
        let x = x.widened()
        precondition(x.rank == 4, "upsampleNearest2x: expected [N, C, H, W], got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = Tensor(uninitialized: [n, c, 2 * h, 2 * w])
        let po = out.mutableFloats.baseAddress!, px = x.floats.baseAddress!
        parallelFor(n * c * h, grain: max(1, 4096 / max(w, 1))) { lo, hi in
            for r in lo..<hi {
                let src = px + r * w
                let plane = r / h, y = r % h
                let d0 = po + plane * 4 * h * w + 2 * y * 2 * w
                for j in 0..<w { d0[2 * j] = src[j]; d0[2 * j + 1] = src[j] }
                (d0 + 2 * w).update(from: d0, count: 2 * w)
            }
        }
        return out
    }
}

/// Average pooling with a k x k window and stride k (ceil_mode: a partial window averages what it covers).
public func avgPool2d(_ x: Tensor, kernel k: Int) -> Tensor {
    let x = x.widened()
    precondition(x.rank == 4 && k >= 1, "avgPool2d: expected [N, C, H, W] and k >= 1, got \(x.shape), \(k)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let ho = (h + k - 1) / k, wo = (w + k - 1) / k
    var out = Tensor(uninitialized: [n, c, ho, wo])
    let po = out.mutableFloats.baseAddress!, px = x.floats.baseAddress!
    parallelFor(n * c, grain: 1) { lo, hi in
        for p in lo..<hi {
            let src = px + p * h * w, dst = po + p * ho * wo
            for oy in 0..<ho {
                for ox in 0..<wo {
                    var s: Float = 0
                    var cnt = 0
                    for y in (oy * k)..<min(h, oy * k + k) {
                        for xx in (ox * k)..<min(w, ox * k + k) { s += src[y * w + xx]; cnt += 1 }
                    }
                    dst[oy * wo + ox] = s / Float(cnt)
                }
            }
        }
    }
    return out
}

/// [N, C, H*r, W*r] -> [N, C*r*r, H, W] (torch.nn.PixelUnshuffle).
public func pixelUnshuffle(_ x: Tensor, factor r: Int) -> Tensor {
    let x = x.widened()
    precondition(x.rank == 4, "pixelUnshuffle: expected [N, C, H, W], got \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(h % r == 0 && w % r == 0, "pixelUnshuffle: \(h)x\(w) is not divisible by \(r)")
    return permute(x.reshaped([n, c, h / r, r, w / r, r]), [0, 1, 3, 5, 2, 4]).reshaped([n, c * r * r, h / r, w / r])
}
