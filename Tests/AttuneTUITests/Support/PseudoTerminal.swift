// A program on a pseudo-terminal of its own, for tests that play the terminal: the program is a session
// leader with the pty as its controlling terminal (util-linux `setsid --ctty`), so it can open /dev/tty and
// ask what the terminal can do; the test reads everything it writes and answers or types.
import Foundation

final class PseudoTerminal {
    let pid: pid_t
    private let master: Int32
    /// Everything the program wrote so far.
    private(set) var output: [UInt8] = []

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
    init(_ arguments: [String], columns: Int, rows: Int, cellWidth: Int, cellHeight: Int, environment: [String]) throws {
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
    }

    deinit {
        close(master)
    }

    /// Reads for up to `seconds`, handing each new chunk to `reply` (whose answer is typed back), until `done`
    /// holds for everything read so far; returns whether it did. It sleeps between reads rather than blocking
    /// in poll(), so parallel tests keep the cooperative threads.
    @discardableResult
    func read(seconds: Double, reply: ([UInt8]) -> String? = { _ in nil }, until done: ([UInt8]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            if done(output) { return true }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            let count = Glibc.read(master, &buffer, buffer.count)
            guard count > 0 else { return done(output) }
            let chunk = Array(buffer[0..<count])
            output += chunk
            if let answer = reply(chunk) { type(answer) }
        }
        return done(output)
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits for the program to end (reading on, so it never blocks on a full terminal); its exit status.
    func finish(seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            await read(seconds: 0.05) { _ in false }
        }
        kill(pid, SIGKILL)
        Subprocess.wait(pid)
        return nil
    }
}
