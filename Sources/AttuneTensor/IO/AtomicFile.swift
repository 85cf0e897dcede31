// Atomic file output: write a temporary file beside the target, flush it, then rename it over the target.
// Readers see either the old file or the complete new one; a failed write leaves the old file untouched
// and no temporary behind.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct FileWriteError: LocalizedError, Equatable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var errorDescription: String? { "cannot write \(path): \(reason)" }
}

/// The open temporary file that an `AtomicFile.write` body writes into.
public final class AtomicFileSink {
    fileprivate let descriptor: Int32
    /// The final destination (for error messages).
    public let path: String

    fileprivate init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            // write(2) may write less than asked (signals, large counts); keep going until all is out.
            let written = systemWrite(descriptor, next, min(remaining, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            next += written
            remaining -= written
        }
    }

    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }
}

/// write(2), reachable under another name inside `AtomicFileSink`, whose own `write` methods shadow it.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

public enum AtomicFile {
    /// Creates a temporary file in `url`'s directory, lets `body` fill it, flushes it to disk and renames it onto `url`.
    /// If `body` or any step throws, the temporary is removed and whatever was at `url` stays as it was.
    public static func write(to url: URL, _ body: (AtomicFileSink) throws -> Void) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        func failure(_ what: String) -> FileWriteError {
            FileWriteError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(directory)") }
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(descriptor) }
            if !renamed { unlink(temporary) }
        }
        try body(AtomicFileSink(descriptor: descriptor, path: path))
        guard fsync(descriptor) == 0 else { throw failure("fsync failed") }
        isOpen = false
        guard close(descriptor) == 0 else { throw failure("close failed") }
        guard rename(temporary, path) == 0 else { throw failure("cannot replace the file") }
        renamed = true
    }

    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(data) }
    }
}
