// 2-D convolution over NCHW as im2col + sgemm, in bands of output rows so that the column
// buffer stays small (a 3x3 conv at 512x512 with 128 channels would otherwise need 1.2 GB). (Shifted GEMMs on a
// padded input, which avoid the im2col copy, measured 2.8x slower in a UNet forward: per-call weight relayout
// and 9 packings of large weights on small feature maps.)

public struct Padding2D: Equatable, Sendable {
    public var top, bottom, left, right: Int
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top; self.bottom = bottom; self.left = left; self.right = right
    }
    public init(_ p: Int) { self.init(top: p, bottom: p, left: p, right: p) }
}

/// A band of the im2col buffer holds at least this many output positions (GEMMs narrower than a couple of
/// thousand columns run well below peak: the up blocks' 960-channel convs got 3-row bands of 192 columns with a
/// byte budget alone) and at most `im2colBandBytes`.
let im2colBandColumns = 2048
let im2colBandBytes = 96 << 20

/// How `conv2d` computes. `automatic`, for 3x3 stride-1 convolutions with channel counts in multiples of 16:
/// Winograd's F(4x4, 3x3) from `winogradMinimumTiles` 4x4 output tiles on (32x32 maps and larger), else F(2x2, 3x3)
/// from as many 2x2 tiles (16x16 maps; with its filters cached it takes half im2col's time there, transformed on
/// every call about as long); im2col + sgemm otherwise.
public enum ConvolutionAlgorithm: Sendable {
    case automatic, im2col, winograd4x4, winograd2x2
}

/// Fewer output tiles than this make Winograd's sgemm calls too small to pay.
let winogradMinimumTiles = 64

/// x[N, Cin, H, W] conv weight[Cout, Cin, kh, kw] (+ bias[Cout]) -> [N, Cout, Hout, Wout].
public func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Padding2D = Padding2D(0),
    algorithm: ConvolutionAlgorithm = .automatic
) -> Tensor {
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [Cout, Cin, kh, kw], got \(weight.shape)")
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, wcin, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    precondition(wcin == cin, "conv2d: input has \(cin) channels, weight \(weight.shape) expects \(wcin)")
    precondition(stride >= 1, "conv2d: stride must be positive")
    let hout = (h + padding.top + padding.bottom - kh) / stride + 1
    let wout = (w + padding.left + padding.right - kw) / stride + 1
    precondition(hout > 0 && wout > 0, "conv2d: kernel \(kh)x\(kw) does not fit input \(h)x\(w) with padding \(padding)")
    let flops = 2 * Double(n * cout * hout * wout) * Double(cin * kh * kw)
    return OpProfile.measure("conv2d", shape: "\(kh)x\(kw)/\(stride) \(cin)->\(cout) \(n)x\(h)x\(w)", flops: flops) {
        let x = x.widened()
        var out = Tensor(uninitialized: [n, cout, hout, wout])
        let po = out.mutableFloats.baseAddress!
        let plane = hout * wout
        FLOPCounter.add(flops)
        if let bias { precondition(bias.count == cout, "conv2d: bias has \(bias.count) elements, expected \(cout)") }
        let applies = Winograd.applies(kh: kh, kw: kw, stride: stride, cin: cin, cout: cout)
        precondition(applies || algorithm == .automatic || algorithm == .im2col,
                     "conv2d: Winograd needs a 3x3 stride-1 kernel and channels in multiples of 16")
        /// The convolution by `tile`, with the weight's filters from the cache (or made for this call past its budget).
        func winograd<T: WinogradTile>(_ tile: T.Type) {
            let filters = WinogradFilterCache.shared.filters(of: weight.storage, count: T.filterCount(cout: cout, cin: cin)) { u in
                weight.withFloat32 { Winograd.transformFilters(T.self, $0, cout: cout, cin: cin, into: u) }
            }
            let wideBias = bias?.widened()
            withExtendedLifetime((filters, wideBias)) {
                Winograd.conv3x3(T.self, x: x.floats.baseAddress!, n: n, cin: cin, h: h, w: w,
                                 filters: filters.raw.assumingMemoryBound(to: Float.self), cout: cout,
                                 bias: wideBias?.floats.baseAddress, padding: padding, hout: hout, wout: wout, out: po)
            }
        }
        // The choice depends on shapes only, never on what the cache holds: a result must not depend on what ran before.
        if applies {
            let automatic = algorithm == .automatic
            if algorithm == .winograd4x4 || (automatic && Winograd.tiles(WinogradF4.self, n: n, hout: hout, wout: wout) >= winogradMinimumTiles) {
                winograd(WinogradF4.self)
                return out
            }
            if algorithm == .winograd2x2 || (automatic && Winograd.tiles(WinogradF2.self, n: n, hout: hout, wout: wout) >= winogradMinimumTiles) {
                winograd(WinogradF2.self)
                return out
            }
        }
        let beta = fillPlanes(po, items: n, channels: cout, plane: plane, with: bias)
        let kdim = cin * kh * kw
        let pointwise = kh == 1 && kw == 1 && stride == 1 && padding == Padding2D(0)
        weight.withFloat32 { pw in
            if pointwise {
                for b in 0..<n {
                    BLAS.gemm(m: cout, n: plane, k: cin, a: pw, lda: cin, b: x.floats.baseAddress! + b * cin * h * w, ldb: plane, beta: beta, c: po + b * cout * plane, ldc: plane)
                }
                return
            }
            let rowsForColumns = (im2colBandColumns + wout - 1) / wout
            let bandRows = max(1, min(hout, max(rowsForColumns, 1), im2colBandBytes / max(kdim * wout * 4, 1)))
            let col = UnsafeMutablePointer<Float>.allocate(capacity: kdim * bandRows * wout)
            defer { col.deallocate() }
            for b in 0..<n {
                let src = x.floats.baseAddress! + b * cin * h * w
                var y0 = 0
                while y0 < hout {
                    let rows = min(bandRows, hout - y0)
                    im2col(src, channels: cin, height: h, width: w, kh: kh, kw: kw, stride: stride, padding: padding,
                           outWidth: wout, rowStart: y0, rows: rows, into: col)
                    BLAS.gemm(m: cout, n: rows * wout, k: kdim, a: pw, lda: kdim, b: col, ldb: rows * wout,
                              beta: beta, c: po + b * cout * plane + y0 * wout, ldc: plane)
                    y0 += rows
                }
            }
        }
        return out
    }
}

/// Fills col[(c*kh + ky)*kw + kx][r*wout + ox] for output rows rowStart..<rowStart+rows.
func im2col(
    _ src: UnsafePointer<Float>, channels: Int, height h: Int, width w: Int, kh: Int, kw: Int, stride: Int,
    padding: Padding2D, outWidth wout: Int, rowStart: Int, rows: Int, into col: UnsafeMutablePointer<Float>
) {
    let ldc = rows * wout
    parallelFor(channels * kh * kw, grain: max(1, 32768 / max(ldc, 1))) { lo, hi in
        for r in lo..<hi {
            let c = r / (kh * kw), ky = (r / kw) % kh, kx = r % kw
            let plane = src + c * h * w
            let dstRow = col + r * ldc
            for oy in 0..<rows {
                let iy = (rowStart + oy) * stride - padding.top + ky
                let dst = dstRow + oy * wout
                if iy < 0 || iy >= h {
                    dst.update(repeating: 0, count: wout)
                    continue
                }
                let line = plane + iy * w
                if stride == 1 {
                    // Valid output columns: 0 <= ox - left + kx < w.
                    let first = min(wout, max(0, padding.left - kx))
                    let last = max(first, min(wout, w + padding.left - kx))
                    if first > 0 { dst.update(repeating: 0, count: first) }
                    if last > first { (dst + first).update(from: line + first - padding.left + kx, count: last - first) }
                    if last < wout { (dst + last).update(repeating: 0, count: wout - last) }
                } else {
                    for ox in 0..<wout {
                        let ix = ox * stride - padding.left + kx
                        dst[ox] = ix >= 0 && ix < w ? line[ix] : 0
                    }
                }
            }
        }
    }
}
