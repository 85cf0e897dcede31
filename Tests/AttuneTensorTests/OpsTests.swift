@testable import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

/// Small cases checked against values computed by hand or by a naive reference written here.
@Suite struct OpsTests {
    /// Direct convolution, the definition (zero padding, stride).
    static func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Padding2D) -> Tensor {
        let (n, cin, h, wd) = (x.dim(0), x.dim(1), x.dim(2), x.dim(3))
        let (cout, kh, kw) = (w.dim(0), w.dim(2), w.dim(3))
        let ho = (h + pad.top + pad.bottom - kh) / stride + 1, wo = (wd + pad.left + pad.right - kw) / stride + 1
        var out = [Float](repeating: 0, count: n * cout * ho * wo)
        let xs = x.scalars, ws = w.scalars, bs = b?.scalars
        for b0 in 0..<n { for co in 0..<cout { for oy in 0..<ho { for ox in 0..<wo {
            var s = Double(bs?[co] ?? 0)
            for ci in 0..<cin { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * stride - pad.top + ky, ix = ox * stride - pad.left + kx
                if iy >= 0 && iy < h && ix >= 0 && ix < wd {
                    s += Double(xs[((b0 * cin + ci) * h + iy) * wd + ix]) * Double(ws[((co * cin + ci) * kh + ky) * kw + kx])
                }
            } } }
            out[((b0 * cout + co) * ho + oy) * wo + ox] = Float(s)
        } } } }
        return Tensor(out, shape: [n, cout, ho, wo])
    }

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = TorchGenerator(seed: seed)
        return g.randn(shape)
    }

    @Test(arguments: [
        (3, 1, Padding2D(1)), (3, 2, Padding2D(1)), (3, 2, Padding2D(top: 0, bottom: 1, left: 0, right: 1)),
        (1, 1, Padding2D(0)), (2, 1, Padding2D(0)), (3, 3, Padding2D(2)),
    ])
    func convolutionMatchesDefinition(kernel: Int, stride: Int, padding: Padding2D) {
        let x = Self.random([2, 5, 9, 7], seed: 1), w = Self.random([4, 5, kernel, kernel], seed: 2), b = Self.random([4], seed: 3)
        let got = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
        let want = Self.naiveConv(x, w, b, stride: stride, pad: padding)
        #expect(got.shape == want.shape)
        #expect(closeness(got, want).maxAbs < 1e-4)
    }

    /// Winograd F(4x4, 3x3) and F(2x2, 3x3) against the definition, with sizes that leave partial tiles (13x10),
    /// asymmetric and zero padding, and half weights.
    @Test(arguments: [ConvolutionAlgorithm.winograd4x4, .winograd2x2], [Padding2D(1), Padding2D(0), Padding2D(top: 0, bottom: 2, left: 1, right: 0)])
    func winogradMatchesDefinition(algorithm: ConvolutionAlgorithm, padding: Padding2D) {
        let x = Self.random([2, 32, 13, 10], seed: 11), w = Self.random([48, 32, 3, 3], seed: 12), b = Self.random([48], seed: 13)
        let want = Self.naiveConv(x, w, b, stride: 1, pad: padding)
        let got = conv2d(x, weight: w, bias: b, padding: padding, algorithm: algorithm)
        #expect(got.shape == want.shape)
        // F(4x4, 3x3)'s transforms have entries up to 8 and 1/24: rounding grows to ~3e-6 of the output's scale.
        let error = closeness(got, want).relativeToScale
        print("winograd \(algorithm) padding \(padding): max|Δ|/max|ref| = \(error) (tolerance 1e-5)")
        #expect(error < 1e-5)
        let half = w.converted(to: .f16)
        let gotHalf = conv2d(x, weight: half, padding: padding, algorithm: algorithm)
        #expect(closeness(gotHalf, Self.naiveConv(x, half.widened(), nil, stride: 1, pad: padding)).relativeToScale < 1e-5)
    }

    /// Bands of tile rows (here one tile row each) give the same result as one band.
    @Test func winogradBandsMatchOneBand() {
        let x = Self.random([1, 16, 11, 9], seed: 14), w = Self.random([32, 16, 3, 3], seed: 15)
        var banded = Tensor(zeros: [1, 32, 11, 9])
        let one = conv2d(x, weight: w, padding: Padding2D(1), algorithm: .winograd4x4)
        let u = UnsafeMutablePointer<Float>.allocate(capacity: 36 * 32 * 16)
        defer { u.deallocate() }
        Winograd.transformFilters(WinogradF4.self, w.floats.baseAddress!, cout: 32, cin: 16, into: u)
        Winograd.conv3x3(WinogradF4.self, x: x.floats.baseAddress!, n: 1, cin: 16, h: 11, w: 9, filters: u, cout: 32,
                         bias: nil, padding: Padding2D(1), hout: 11, wout: 9, out: banded.mutableFloats.baseAddress!,
                         bandBytes: 1)
        #expect(closeness(banded, one).maxAbs == 0)
    }

    /// A cached filter is used only for the storage it was made from: a second weight (even one allocated where a
    /// freed one was) gets its own transform, and the budget bounds what is kept (beyond it, filters are made for
    /// each call and not kept).
    @Test func winogradFilterCacheFollowsTheWeight() {
        let count = WinogradF4.filterCount(cout: 16, cin: 16)
        var cache = WinogradFilterCache(budgetBytes: count * 4)
        var made = 0
        func filters(_ w: Tensor) -> Float {
            let u = cache.filters(of: w.storage, count: count, make: { u in
                made += 1
                Winograd.transformFilters(WinogradF4.self, w.floats.baseAddress!, cout: 16, cin: 16, into: u)
            })
            // Filters that were not kept live only as long as `u`.
            return withExtendedLifetime(u) { u.raw.assumingMemoryBound(to: Float.self)[0] }
        }
        let a = Self.random([16, 16, 3, 3], seed: 16), b = Self.random([16, 16, 3, 3], seed: 17)
        let fa = filters(a)
        #expect(fa == a.scalars[0] * 0.25 * 0.25 && filters(a) == fa && made == 1)
        // The budget holds one entry: b's filters are made for each call and not kept.
        let fb = filters(b)
        #expect(fb == b.scalars[0] * 0.25 * 0.25 && made == 2 && cache.heldBytes == count * 4)
        #expect(filters(b) == fb)
        #expect(made == 3 && cache.heldBytes == count * 4)
        #expect(filters(a) == fa)
        #expect(made == 3)
        // Weights that come and go: each one's entry replaces the dead one's, and never answers for another.
        cache = WinogradFilterCache(budgetBytes: count * 4)
        for seed in 18..<24 {
            let c = Self.random([16, 16, 3, 3], seed: UInt64(seed))
            #expect(filters(c) == c.scalars[0] * 0.25 * 0.25)
            #expect(filters(c) == c.scalars[0] * 0.25 * 0.25 && cache.heldBytes == count * 4)
        }
    }

    /// The transformer's projections straight between NCHW and tokens equal the permute-and-linear they replace.
    @Test func linearBetweenImageAndTokensMatchesPermutes() {
        let x = Self.random([2, 24, 5, 7], seed: 31), w = Self.random([40, 24], seed: 32), b = Self.random([40], seed: 33)
        let tokens = linearFromImage(x, weight: w, bias: b)
        #expect(closeness(tokens, linear(tokensFromImage(x), weight: w, bias: b)).maxAbs < 1e-5)
        let w2 = Self.random([16, 40], seed: 34), b2 = Self.random([16], seed: 35)
        let image = linearToImage(tokens, weight: w2, bias: b2, height: 5, width: 7)
        #expect(image.shape == [2, 16, 5, 7])
        #expect(closeness(image, imageFromTokens(linear(tokens, weight: w2, bias: b2), height: 5, width: 7)).maxAbs < 1e-4)
        #expect(closeness(linearFromImage(x, weight: w), linear(tokensFromImage(x), weight: w)).maxAbs < 1e-5)
    }

    /// ATTUNE_THREADS and ATTUNE_WINOGRAD_CACHE_MB: whole numbers in range are taken; anything else is ignored.
    @Test func environmentIntegersAreCheckedNotGuessed() {
        #expect(environmentInteger("N", minimum: 0, environment: ["N": "512"]) == 512)
        #expect(environmentInteger("N", minimum: 0, environment: ["N": "0"]) == 0)
        #expect(environmentInteger("N", minimum: 0, environment: [:]) == nil)
        #expect(environmentInteger("N", minimum: 1, environment: ["N": "0"]) == nil)
        #expect(environmentInteger("N", minimum: 0, environment: ["N": "2GB"]) == nil)
        #expect(environmentInteger("N", minimum: 0, environment: ["N": "-3"]) == nil)
    }

    @Test func convolutionWithHalfWeightsWidensThem() {
        let x = Self.random([1, 3, 6, 6], seed: 4), w = Self.random([2, 3, 3, 3], seed: 5)
        let half = w.converted(to: .f16)
        let got = conv2d(x, weight: half, padding: Padding2D(1))
        let want = Self.naiveConv(x, half.widened(), nil, stride: 1, pad: Padding2D(1))
        #expect(closeness(got, want).maxAbs < 1e-4)
    }

    @Test func groupNormNormalisesEachGroup() {
        // Two groups of two channels; every group has mean 0 and variance 1 after normalisation.
        let x = Self.random([2, 4, 3, 5], seed: 6) * 3 + 1
        let y = groupNorm(x, groups: 2, weight: Tensor(filling: 1, shape: [4]), bias: Tensor(zeros: [4]), eps: 1e-6)
        let v = y.scalars
        for g in 0..<4 {
            let part = v[(g * 30)..<((g + 1) * 30)]
            let mean = part.reduce(0, +) / 30
            let variance = part.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 30
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-4)
        }
        let withSiLU = groupNorm(x, groups: 2, weight: Tensor(filling: 1, shape: [4]), bias: Tensor(zeros: [4]), eps: 1e-6, activation: .silu)
        #expect(closeness(withSiLU, silu(y)).maxAbs < 1e-6)
    }

    @Test func layerNormHandComputed() {
        let x = Tensor([1, 2, 3, 4], shape: [1, 4])
        let y = layerNorm(x, weight: Tensor([1, 1, 2, 2], shape: [4]), bias: Tensor([0, 0, 0, 1], shape: [4]), eps: 0).scalars
        let s = Float(1.25).squareRoot()
        let want: [Float] = [-1.5 / s, -0.5 / s, 2 * 0.5 / s, 2 * 1.5 / s + 1]
        for (a, b) in zip(y, want) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func softmaxIsStableForLargeValues() {
        let x = Tensor([1000, 1001, 1002, -Float.infinity], shape: [1, 4])
        let y = softmax(x).scalars
        let e: [Float] = [exp(-2), exp(-1), 1]
        let z = e.reduce(0, +)
        for i in 0..<3 { #expect(abs(y[i] - e[i] / z) < 1e-6) }
        #expect(y[3] == 0)
        #expect(softmax(Tensor([-Float.infinity, -Float.infinity], shape: [1, 2])).scalars == [0, 0])
    }

    @Test func linearAndMatmul() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let w = Tensor([1, 0, 1, 0, 1, 0], shape: [2, 3])
        #expect(linear(x, weight: w, bias: Tensor([10, 20], shape: [2])).scalars == [14, 22, 20, 25])
        let a = Tensor([1, 2, 3, 4], shape: [2, 2]), b = Tensor([5, 6, 7, 8], shape: [2, 2])
        #expect(matmul(a, b).scalars == [19, 22, 43, 50])
        #expect(matmul(a, b, transposeA: true).scalars == [26, 30, 38, 44])
        #expect(matmul(a, b, transposeB: true).scalars == [17, 23, 39, 53])
    }

    @Test func shapeOperations() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        #expect(permute(x, [2, 0, 1]).shape == [4, 2, 3])
        #expect(permute(x, [2, 0, 1])[1, 1, 2] == x[1, 2, 1])
        let parts = split(x, count: 2, axis: 2)
        #expect(parts[1].scalars.prefix(4) == [2, 3, 6, 7])
        #expect(concat(parts, axis: 2).scalars == x.scalars)
        #expect(slice(x, axis: 1, start: 1, length: 2).scalars.prefix(4) == [4, 5, 6, 7])
        let img = Tensor((0..<4).map(Float.init), shape: [1, 1, 2, 2])
        #expect(upsampleNearest2x(img).scalars == [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3])
        #expect(avgPool2d(Tensor((0..<16).map(Float.init), shape: [1, 1, 4, 4]), kernel: 2).scalars == [2.5, 4.5, 10.5, 12.5])
        let tokens = tokensFromImage(Self.random([2, 3, 2, 5], seed: 9))
        #expect(tokens.shape == [2, 10, 3])
        #expect(imageFromTokens(tokens, height: 2, width: 5).scalars == Self.random([2, 3, 2, 5], seed: 9).scalars)
        // PixelUnshuffle: output channel c*4 + dy*2 + dx holds input (c, 2y+dy, 2x+dx).
        let pu = pixelUnshuffle(Tensor((0..<16).map(Float.init), shape: [1, 1, 4, 4]), factor: 2)
        #expect(pu.shape == [1, 4, 2, 2])
        #expect(pu.scalars == [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15])
    }
}
