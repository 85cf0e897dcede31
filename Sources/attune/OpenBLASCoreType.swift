// OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads. On AVX-512 processors that OpenBLAS
// 0.3.21 does not recognise (AMD Zen 4/5) it falls back to its Haswell kernels at about half speed, so
// attune re-executes itself once with the variable set.
import AttuneTensor
import Foundation

enum OpenBLASCoreType {
    static let marker = "ATTUNE_OPENBLAS_REEXEC"

    static func reexecIfNeeded() {
        let env = ProcessInfo.processInfo.environment
        guard env[marker] == nil, let core = BLAS.preferredCoreType(environment: env) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        // Attune splits products across cores itself; OpenBLAS's idle threads would only spin.
        if env["OPENBLAS_NUM_THREADS"] == nil { setenv("OPENBLAS_NUM_THREADS", "1", 1) }
        setenv(marker, "1", 1)
        let args = CommandLine.arguments
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &cargs)
        // Still here: exec failed; carry on with the kernels OpenBLAS chose.
        for p in cargs { free(p) }
    }
}
