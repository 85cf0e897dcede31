// A read-only memory map of a whole file, unmapped when released. Multi-GB checkpoints are read through it
// without copying the file into memory; pages come from the page cache as tensors are touched.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class MemoryMappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    /// Maps `path` read-only. Throws `SafeTensorsError.cannotOpen` with the system's reason.
    init(path: String) throws {
        func failure(_ what: String) -> SafeTensorsError {
            .cannotOpen(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open failed") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("fstat failed") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafeTensorsError.cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            // mmap rejects length 0; an empty buffer lets the header check report the short file.
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw failure("mmap failed")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
