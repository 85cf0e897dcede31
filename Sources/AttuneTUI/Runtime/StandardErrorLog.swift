// While curses owns the terminal, standard error goes to a log file: a line written there by anything in the
// process (the model loader's "loaded … in 0.3 s", a library warning) would otherwise land at the cursor,
// its newline would scroll the whole screen up by one row, and every out-of-band picture would then sit one
// row below the text curses believes is there.
import Foundation

public final class StandardErrorLog {
    public let url: URL
    /// The terminal's standard error, put back by `restore()`.
    private var saved: Int32

    /// Sends standard error to `url` (emptied first, so it holds this run's messages) until `restore()`.
    public init(redirectingTo url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let log = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(log) }
        fflush(stderr)
        saved = dup(STDERR_FILENO)
        guard saved >= 0, dup2(log, STDERR_FILENO) >= 0 else {
            if saved >= 0 { close(saved) }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        self.url = url
    }

    /// Standard error goes back to where it went before; later calls do nothing.
    public func restore() {
        guard saved >= 0 else { return }
        fflush(stderr)
        dup2(saved, STDERR_FILENO)
        close(saved)
        saved = -1
    }

    deinit { restore() }
}
