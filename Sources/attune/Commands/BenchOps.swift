// `attune bench ops`: the conv, linear and attention shapes of the SD 1.5 UNet at a 64x64 latent, each
// against raw cblas_sgemm run in the same process: (a) the same matrix products as plain sgemm calls
// ("same shapes"), (b) one square-ish sgemm of the same FLOP count ("square").
import ArgumentParser
import AttuneTensor
import Foundation

struct BenchOps: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ops", abstract: "GFLOP/s of the UNet's kernels vs raw sgemm.")

    @Option(help: "Repetitions per shape (the best is reported).") var repeats = 3
    @Option(help: "Latent side (64 for 512x512 images).") var latent = 64
    @Option(help: "Only the cases whose name contains this (conv, linear, attn).") var only: String?

    struct Case {
        let name: String
        let flops: Double
        let op: () -> Void
        /// The same products as raw sgemm calls.
        let baseline: () -> Void
        /// Buffers the baseline writes through raw pointers, kept alive with the case.
        var buffers: [Tensor] = []
    }

    func run() throws {
        print(BenchEnvironment.header)
        let s = latent
        var cases: [Case] = []
        for (c, side) in [(320, s), (640, s / 2), (1280, s / 4), (1280, s / 8)] {
            let x = randomTensor([1, c, side, side]), w = randomTensor([c, c, 3, 3]), b = randomTensor([c])
            let col = randomTensor([c * 9, side * side])
            var out = Tensor(zeros: [c, side * side])
            let po = out.mutableFloats.baseAddress!
            cases.append(Case(
                name: "conv3x3 \(c)->\(c) @\(side)²", flops: 2.0 * Double(c * c * 9 * side * side),
                op: { _ = conv2d(x, weight: w, bias: b, padding: Padding2D(1)) },
                baseline: {
                    BLAS.gemm(m: c, n: side * side, k: c * 9, a: w.floats.baseAddress!, lda: c * 9,
                              b: col.floats.baseAddress!, ldb: side * side, c: po, ldc: side * side, kernel: .openBLAS)
                }, buffers: [out]))
        }
        for (c, side) in [(320, s), (640, s / 2), (1280, s / 4)] {
            let n = side * side, x = randomTensor([1, n, c]), w = randomTensor([c * 8, c])
            var out = Tensor(zeros: [n, c * 8])
            let po = out.mutableFloats.baseAddress!
            cases.append(Case(
                name: "linear \(c)->\(8 * c) ×\(n)", flops: 2.0 * Double(n * c * 8 * c),
                op: { _ = linear(x, weight: w) },
                baseline: {
                    BLAS.gemm(transB: true, m: n, n: 8 * c, k: c, a: x.floats.baseAddress!, lda: c,
                              b: w.floats.baseAddress!, ldb: c, c: po, ldc: 8 * c, kernel: .openBLAS)
                }, buffers: [out]))
        }
        for (c, side) in [(320, s), (640, s / 2), (1280, s / 4)] {
            let n = side * side, d = c / 8
            let q = randomTensor([1, n, c]), k = randomTensor([1, n, c]), v = randomTensor([1, n, c])
            var scores = Tensor(zeros: [n, n]), out = Tensor(zeros: [n, c])
            let ps = scores.mutableFloats.baseAddress!, po = out.mutableFloats.baseAddress!
            cases.append(Case(
                name: "self-attn \(n) tok, 8×\(d)", flops: 4.0 * Double(n * n * c),
                op: { _ = scaledDotProductAttention(q: q, k: k, v: v, heads: 8, scale: 1 / Float(d).squareRoot()) },
                baseline: {
                    for h in 0..<8 {
                        BLAS.gemm(transB: true, m: n, n: n, k: d, a: q.floats.baseAddress! + h * d, lda: c,
                                  b: k.floats.baseAddress! + h * d, ldb: c, c: ps, ldc: n, kernel: .openBLAS)
                        BLAS.gemm(m: n, n: d, k: n, a: ps, lda: n, b: v.floats.baseAddress! + h * d, ldb: c, c: po + h * d, ldc: c,
                                  kernel: .openBLAS)
                    }
                }, buffers: [scores, out]))
        }
        let memory = MachinePeak.memoryRates()
        print(String(format: "multiply-add peak of %d cores (the ceiling): %.1f GFLOP/s; memory, 64 MiB per core: read %.1f GB/s, write %.1f GB/s",
                     coreCount, MachinePeak.fmaRate(), memory.read, memory.write))
        print(String(repeating: "-", count: 100))
        print(pad("op", 28), "GFLOP      ms  GFLOP/s cpu/wall | sgemm same shapes  ratio | sgemm square  ratio")
        for item in cases where only.map({ item.name.contains($0) }) ?? true {
            let t = timing(repeats, item.op)
            let rate = item.flops / t.wall / 1e9
            let same = item.flops / best(repeats, item.baseline) / 1e9
            let square = squareSgemmRate(flops: item.flops, repeats: repeats)
            print(pad(item.name, 28), String(format: "%5.1f %7.1f %8.1f %8.2f | %17.1f %6.2f | %12.1f %6.2f",
                                             item.flops / 1e9, t.wall * 1e3, rate, t.cpu / t.wall, same, rate / same, square, rate / square))
        }
    }

}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
