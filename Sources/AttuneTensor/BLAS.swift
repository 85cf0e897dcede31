// Row-major GEMM on OpenBLAS, and the few OpenBLAS controls Attune needs.
import CBLAS
import Foundation

public enum BLAS {
    /// C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, all row-major with leading dimensions.
    @inlinable
    public static func gemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // OpenBLAS leaves C untouched when K is 0; the product is zero, so scale C by beta.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The kernel family OpenBLAS chose at load time ("Haswell", "SkylakeX", ...).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// Runs `body` with single-threaded OpenBLAS calls, for code that parallelises over its own work items
    /// (attention heads): OpenBLAS threading is erratic on small products.
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let previous = threadCount
        if previous == 1 { return try body() }
        setThreadCount(1)
        defer { setThreadCount(previous) }
        return try body()
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
