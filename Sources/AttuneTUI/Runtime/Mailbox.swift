// Where background work (the diffusion actor, picture loading) leaves Actions for the UI thread: a
// Mutex-protected queue plus a self-pipe, so the main loop can sleep in poll() and still wake at once.
import Foundation
import Synchronization

public final class Mailbox: Sendable {
    private let queue = Mutex<[Action]>([])
    /// poll() this for readability; `drain` empties it.
    public let wakeDescriptor: Int32
    private let writeDescriptor: Int32

    public init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeDescriptor = fds[0]
        writeDescriptor = fds[1]
    }

    deinit {
        close(wakeDescriptor)
        close(writeDescriptor)
    }

    /// Callable from any thread.
    public func post(_ action: Action) {
        queue.withLock { $0.append(action) }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)  // a full pipe already means "wake up"
    }

    /// Everything posted so far, in order.
    public func drain() -> [Action] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wakeDescriptor, &buffer, buffer.count) > 0 {}
        return queue.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}
