// A program on a pseudo-terminal of its own, for tests that play the terminal: the program is a session
// leader with the pty as its controlling terminal (util-linux `setsid --ctty`), so it can open /dev/tty and
// ask what the terminal can do. A thread of its own reads everything the program writes and answers its
// queries at once, as a real terminal would (the workbench waits only 400 ms for them, and the test
// runner's shared threads can be busy for longer than that); the test reads the output and types.
import Foundation
import Synchronization

final class PseudoTerminal {
    let pid: pid_t
    private let master: Int32
    /// What the reader thread has read, shared with it.
    private final class Received: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }
    private let received = Received()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// glibc's pseudo-terminal calls, which its Swift module leaves out (they need _XOPEN_SOURCE).
    private static func libc<T>(_ name: String, as type: T.Type) throws -> T {
        guard let symbol = dlsym(nil, name) else {  // nil is RTLD_DEFAULT in glibc
            throw Failure(description: "no \(name) in the C library")
        }
        return unsafeBitCast(symbol, to: type)
    }

    /// Starts `arguments` on a `columns`×`rows` terminal whose cells are `cellWidth`×`cellHeight` pixels.
    /// `answer` sees each chunk of output (and all output so far) and returns what the terminal says back.
    init(
        _ arguments: [String], columns: Int, rows: Int, cellWidth: Int, cellHeight: Int, environment: [String],
        answer: @escaping @Sendable (_ chunk: [UInt8]) -> String?
    ) throws {
        typealias IntCall = @convention(c) (Int32) -> Int32
        let openpt = try Self.libc("posix_openpt", as: IntCall.self)
        let grantpt = try Self.libc("grantpt", as: IntCall.self), unlockpt = try Self.libc("unlockpt", as: IntCall.self)
        let ptsname = try Self.libc("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        let master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw Failure(description: "no pseudo-terminal: errno \(errno)")
        }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: UInt16(columns * cellWidth), ws_ypixel: UInt16(rows * cellHeight))
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            close(master)
            throw Failure(description: "cannot open \(String(cString: name)): errno \(errno)")
        }
        defer { close(slave) }
        do {
            pid = try Subprocess.spawn(["/usr/bin/setsid", "--ctty"] + arguments, environment: environment) { actions in
                for fd in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
            }
        } catch {
            close(master)
            throw error
        }
        self.master = master
        let received = self.received
        // Reads until the program's side closes (read fails with EIO once it has exited).
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                let chunk = Array(buffer[0..<count])
                received.bytes.withLock { $0 += chunk }
                if let reply = answer(chunk) { _ = Array(reply.utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }
            }
        }
        reader.start()
    }

    deinit {
        close(master)
    }

    /// Everything the program wrote so far.
    var output: [UInt8] { received.bytes.withLock { $0 } }

    /// Waits up to `seconds` for `done` to hold for the output; returns whether it did.
    func wait(seconds: Double, until done: ([UInt8]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if done(output) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return done(output)
    }

    func type(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits for the program to end; its exit status, or nil when it had to be killed.
    func finish(seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        Subprocess.wait(pid)
        return nil
    }
}
