// Matrix products on cblas_sgemm: linear layers, plain and batched matmul.

/// x[..., in] * weight[out, in]^T + bias[out] -> [..., out] (torch.nn.Linear).
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let inF = weight.shape[1], outF = weight.shape[0]
    precondition(x.shape.last == inF, "linear: input \(x.shape) does not end in \(inF) features (weight \(weight.shape))")
    let rows = x.count / max(inF, 1)
    let flops = 2 * Double(rows) * Double(inF * outF)
    return OpProfile.measure("linear", shape: "\(inF)->\(outF) x\(rows)", flops: flops) {
        let x = x.widened()
        var shape = x.shape
        shape[shape.count - 1] = outF
        var out = Tensor(uninitialized: shape)
        let po = out.mutableFloats.baseAddress!
        let beta = fillRows(po, rows: rows, width: outF, with: bias)
        FLOPCounter.add(flops)
        weight.withFloat32 { w in
            BLAS.gemm(transB: true, m: rows, n: outF, k: inF, a: x.floats.baseAddress!, lda: inF, b: w, ldb: inF, beta: beta, c: po, ldc: outF)
        }
        return out
    }
}

/// linear(tokensFromImage(x), weight, bias) as one product per item, without the permute: x[N, C, H, W],
/// weight[out, C] -> [N, H*W, out] (a 1x1 convolution read from NCHW and written as tokens).
public func linearFromImage(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 2 && weight.shape[1] == x.shape[1],
                 "linearFromImage: x \(x.shape) and weight \(weight.shape) do not match")
    let (n, c, hw, outF) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3], weight.shape[0])
    let flops = 2 * Double(n * hw) * Double(c * outF)
    return OpProfile.measure("linear", shape: "\(c)->\(outF) x\(n * hw) from image", flops: flops) {
        let x = x.widened()
        var out = Tensor(uninitialized: [n, hw, outF])
        let po = out.mutableFloats.baseAddress!
        let beta = fillRows(po, rows: n * hw, width: outF, with: bias)
        FLOPCounter.add(flops)
        weight.withFloat32 { w in
            for b in 0..<n {
                BLAS.gemm(transA: true, transB: true, m: hw, n: outF, k: c, a: x.floats.baseAddress! + b * c * hw, lda: hw,
                          b: w, ldb: c, beta: beta, c: po + b * hw * outF, ldc: outF)
            }
        }
        return out
    }
}

/// imageFromTokens(linear(x, weight, bias), height, width) as one product per item, without the permute:
/// x[N, H*W, C], weight[out, C] -> [N, out, H, W].
public func linearToImage(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, height: Int, width: Int) -> Tensor {
    precondition(x.rank == 3 && x.shape[1] == height * width && weight.rank == 2 && weight.shape[1] == x.shape[2],
                 "linearToImage: x \(x.shape) (\(height)x\(width)) and weight \(weight.shape) do not match")
    let (n, hw, c, outF) = (x.shape[0], x.shape[1], x.shape[2], weight.shape[0])
    let flops = 2 * Double(n * hw) * Double(c * outF)
    return OpProfile.measure("linear", shape: "\(c)->\(outF) x\(n * hw) to image", flops: flops) {
        let x = x.widened()
        var out = Tensor(uninitialized: [n, outF, height, width])
        let po = out.mutableFloats.baseAddress!
        let beta = fillPlanes(po, items: n, channels: outF, plane: hw, with: bias)
        FLOPCounter.add(flops)
        weight.withFloat32 { w in
            for b in 0..<n {
                BLAS.gemm(transB: true, m: outF, n: hw, k: c, a: w, lda: c, b: x.floats.baseAddress! + b * hw * c, ldb: c,
                          beta: beta, c: po + b * outF * hw, ldc: hw)
            }
        }
        return out
    }
}

/// Copies `bias` into each of `rows` rows of `width` (a GEMM then adds into them); returns the GEMM's beta.
func fillRows(_ p: UnsafeMutablePointer<Float>, rows: Int, width: Int, with bias: Tensor?) -> Float {
    guard let bias else { return 0 }
    precondition(bias.count == width, "bias has \(bias.count) elements, expected \(width)")
    let wide = bias.widened()
    withExtendedLifetime(wide) {
        let b = wide.floats.baseAddress!
        parallelFor(rows, grain: max(1, 16384 / max(width, 1))) { lo, hi in
            for r in lo..<hi { (p + r * width).update(from: b, count: width) }
        }
    }
    return 1
}

/// Fills each channel's plane of `items` NCHW maps with the channel's bias (a GEMM then adds into them); returns
/// the GEMM's beta.
func fillPlanes(_ p: UnsafeMutablePointer<Float>, items: Int, channels: Int, plane: Int, with bias: Tensor?) -> Float {
    guard let bias else { return 0 }
    precondition(bias.count == channels, "bias has \(bias.count) elements, expected \(channels)")
    let wide = bias.widened()
    withExtendedLifetime(wide) {
        let b = wide.floats.baseAddress!
        parallelFor(items * channels, grain: max(1, 16384 / max(plane, 1))) { lo, hi in
            for i in lo..<hi { (p + i * plane).update(repeating: b[i % channels], count: plane) }
        }
    }
    return 1
}

/// [M, K] x [K, N] -> [M, N], with optional transposes of either operand.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: expected matrices, got \(a.shape) and \(b.shape)")
    return batchedMatmul(a.reshaped([1] + a.shape), b.reshaped([1] + b.shape), transposeA: transposeA, transposeB: transposeB)
        .reshaped([transposeA ? a.shape[1] : a.shape[0], transposeB ? b.shape[0] : b.shape[1]])
}

/// [B, M, K] x [B, K, N] -> [B, M, N]; a batch of 1 on either side broadcasts.
public func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let a = a.widened(), b = b.widened()
    precondition(a.rank == 3 && b.rank == 3, "batchedMatmul: expected [B, M, K] operands, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[2] : a.shape[1], ka = transposeA ? a.shape[1] : a.shape[2]
    let kb = transposeB ? b.shape[2] : b.shape[1], n = transposeB ? b.shape[1] : b.shape[2]
    precondition(ka == kb, "batchedMatmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") x \(b.shape)\(transposeB ? "ᵀ" : "")")
    let batch = max(a.shape[0], b.shape[0])
    precondition(
        (a.shape[0] == batch || a.shape[0] == 1) && (b.shape[0] == batch || b.shape[0] == 1),
        "batchedMatmul: batch sizes \(a.shape[0]) and \(b.shape[0]) do not broadcast")
    var out = Tensor(uninitialized: [batch, m, n])
    let pa = a.floats.baseAddress!, pb = b.floats.baseAddress!, po = out.mutableFloats.baseAddress!
    FLOPCounter.add(2 * Double(batch * m * n) * Double(ka))
    let sa = a.shape[0] == 1 ? 0 : m * ka, sb = b.shape[0] == 1 ? 0 : ka * n
    for i in 0..<batch {
        BLAS.gemm(
            transA: transposeA, transB: transposeB, m: m, n: n, k: ka,
            a: pa + i * sa, lda: a.shape[2], b: pb + i * sb, ldb: b.shape[2], c: po + i * m * n, ldc: n)
    }
    return out
}
