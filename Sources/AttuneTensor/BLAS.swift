// Row-major GEMM on OpenBLAS (and Attune's own kernel for 64-column products), and the few OpenBLAS controls
// Attune needs.
import AttuneAVX512
import CBLAS
import Foundation

/// Which code multiplies: `automatic` takes SixtyFourColumnProduct for the shapes where it beats OpenBLAS (on
/// AVX-512 processors), `openBLAS` always calls cblas_sgemm (benchmarks' baselines, tests comparing the two).
public enum GEMMKernel: Sendable {
    case automatic, openBLAS
}

public enum BLAS {
    /// OpenBLAS runs single-threaded; Attune splits large products across cores itself. OpenBLAS's own
    /// worker threads spin (sched_yield) after each call and then compete with Attune's parallel loops for
    /// the same cores: on 2 cores a UNet forward ran 4x slower with them.
    static let configured: Void = { openblas_set_num_threads(1) }()

    /// Products below this many multiply-adds run on one core: splitting them costs more than it saves.
    static let parallelThreshold = 1 << 22

    /// C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, all row-major with leading dimensions.
    /// Large products are split into one band per core along the longer of M and N, unless `parallel` is false
    /// (callers that already run one product per core, such as attention heads).
    public static func gemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
        parallel: Bool = true, kernel: GEMMKernel = .automatic
    ) {
        _ = configured
        if m == 0 || n == 0 { return }
        if k == 0 {
            // OpenBLAS leaves C untouched when K is 0; the product is zero, so scale C by beta.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        if takesSixtyFourColumnProduct(kernel, alpha, beta) && !transA && transB && m == SixtyFourColumnProduct.columns
            && n >= SixtyFourColumnProduct.rowsPerTile {
            // 64 rows times a transposed B (a Winograd band of 64 tiles: 16x16 and 32x32 maps at 512x512; a linear
            // on 64 tokens) is the 64-column product transposed, Cᵀ = B Aᵀ with B as stored: 1.04-1.19x OpenBLAS
            // on the 16x16 convolutions, 1.04-1.42x on those linears, alternated in one process. Aᵀ and Cᵀ are
            // copies (Transposition, in registers), small beside the product.
            let at = UnsafeMutablePointer<Float>.allocate(capacity: k * m)
            let ct = UnsafeMutablePointer<Float>.allocate(capacity: n * m)
            defer { at.deallocate(); ct.deallocate() }
            Transposition.transpose(a, lda, rows: m, columns: k, into: at, m)
            // Beta 1 (a bias filled in first) adds to C, so Cᵀ starts as C.
            if beta == 1 { Transposition.transpose(c, ldc, rows: m, columns: n, into: ct, m) }
            gemm(m: n, n: m, k: k, a: b, lda: ldb, b: at, ldb: m, beta: beta, c: ct, ldc: m, parallel: parallel, kernel: kernel)
            Transposition.transpose(ct, m, rows: n, columns: m, into: c, ldc)
            return
        }
        let parts = parallel && m * n * k >= parallelThreshold ? coreCount : 1
        if parts == 1 {
            product(kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // Band boundaries on multiples of 16 keep the kernels' vector tiles whole.
        func bounds(_ total: Int, _ p: Int) -> (Int, Int) {
            let unit = (total + parts * 16 - 1) / (parts * 16) * 16
            return (min(total, p * unit), min(total, (p + 1) * unit))
        }
        if n >= m {
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let (lo, hi) = bounds(n, p)
                guard lo < hi else { return }
                // Columns lo..<hi of op(B): column offset in B, or row offset when B is stored transposed.
                product(kernel, transA, transB, m, hi - lo, k, alpha, a, lda, transB ? b + lo * ldb : b + lo, ldb, beta, c + lo, ldc)
            }
        } else {
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let (lo, hi) = bounds(m, p)
                guard lo < hi else { return }
                product(kernel, transA, transB, hi - lo, n, k, alpha, transA ? a + lo : a + lo * lda, lda, b, ldb, beta, c + lo * ldc, ldc)
            }
        }
    }

    /// Whether SixtyFourColumnProduct can run here.
    static let hasSixtyFourColumnProduct = CPUFeatures.hasAVX512

    /// Whether a product with these settings may go to SixtyFourColumnProduct, which only adds A B to C.
    static func takesSixtyFourColumnProduct(_ kernel: GEMMKernel, _ alpha: Float, _ beta: Float) -> Bool {
        kernel == .automatic && hasSixtyFourColumnProduct && alpha == 1 && (beta == 0 || beta == 1)
    }

    /// One core's share of `gemm`: SixtyFourColumnProduct for plain products with 64 columns (8x8 feature maps) and
    /// its tile's rows, cblas_sgemm for everything else.
    static func product(
        _ kernel: GEMMKernel, _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        if takesSixtyFourColumnProduct(kernel, alpha, beta) && !transA && !transB && n == SixtyFourColumnProduct.columns
            && m >= SixtyFourColumnProduct.rowsPerTile {
            let tiled = m - m % SixtyFourColumnProduct.rowsPerTile
            // The kernel adds to C, which may hold anything when beta is 0.
            if beta == 0 { for i in 0..<tiled { (c + i * ldc).update(repeating: 0, count: n) } }
            let done = SixtyFourColumnProduct.multiplyAdd(m: m, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            if done < m { sgemm(transA, transB, m - done, n, k, alpha, a + done * lda, lda, b, ldb, beta, c + done * ldc, ldc) }
            return
        }
        sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    @inline(always)
    static func sgemm(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The kernel family OpenBLAS chose at load time ("Haswell", "SkylakeX", ...).
    public static var coreName: String {
        _ = configured
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS's own threads (1: Attune parallelises around it).
    public static var threadCount: Int {
        _ = configured
        return Int(openblas_get_num_threads())
    }

    /// The `OPENBLAS_CORETYPE` Attune asks for: OpenBLAS 0.3.21 runs its AVX2 (Haswell) kernels on
    /// AVX-512 processors it does not know, such as AMD Zen 4/5, at about half the speed of its SkylakeX kernels.
    /// Returns nil when the user set the variable, or when the processor lacks AVX-512.
    public static func preferredCoreType(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if environment["OPENBLAS_CORETYPE"] != nil { return nil }
        return CPUFeatures.hasAVX512 ? "SkylakeX" : nil
    }
}

public enum CPUFeatures {
    /// Flags from /proc/cpuinfo (Linux); empty elsewhere.
    public static let flags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }()

    public static var hasAVX512: Bool { flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") }
}
