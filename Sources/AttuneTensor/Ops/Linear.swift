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
        var beta: Float = 0
        if let bias {
            precondition(bias.count == outF, "linear: bias has \(bias.count) elements, expected \(outF)")
            let wide = bias.widened()
            withExtendedLifetime(wide) {
                let b = wide.floats.baseAddress!
                parallelFor(rows, grain: max(1, 16384 / max(outF, 1))) { lo, hi in
                    for r in lo..<hi { (po + r * outF).update(from: b, count: outF) }
                }
            }
            beta = 1
        }
        FLOPCounter.add(flops)
        weight.withFloat32 { w in
            BLAS.gemm(transB: true, m: rows, n: outF, k: inF, a: x.floats.baseAddress!, lda: inF, b: w, ldb: inF, beta: beta, c: po, ldc: outF)
        }
        return out
    }
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
