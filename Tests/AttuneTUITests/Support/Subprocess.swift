// Runs a command with posix_spawn and waits for it with waitpid. The child starts with an empty signal mask
// and default signal actions: the test runner's threads block most signals, and a tmux server inheriting that
// mask never notices its panes exit nor obeys kill-server. Descriptors above stderr are marked close-on-exec
// first, so such a daemon does not hold the test runner's pipes open either.
import Foundation

enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments` (the first is the program's path); returns its standard output when `capture`.
    @discardableResult
    static func run(_ arguments: [String], capture: Bool = true) throws -> String {
        var fds: [Int32] = [-1, -1]
        if capture, pipe(&fds) != 0 { throw Failure(description: "pipe failed: errno \(errno)") }
        let pid: pid_t
        do {
            pid = try spawn(arguments) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                if capture {
                    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
                } else {
                    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                }
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        } catch {
            if capture { close(fds[0]); close(fds[1]) }
            throw error
        }
        var output: [UInt8] = []
        if capture {
            close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count > 0 {
                    output += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(fds[0])
        }
        _ = wait(pid)
        return String(decoding: output, as: UTF8.self)
    }

    /// Starts `arguments` with standard input, output and error set up by `files`; returns its process id.
    static func spawn(_ arguments: [String], environment: [String]? = nil, files: (inout posix_spawn_file_actions_t) -> Void) throws -> pid_t {
        markInheritedDescriptorsCloseOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = envp.map { e in e.withUnsafeBufferPointer { posix_spawn(&pid, arguments[0], &actions, &attributes, argv, UnsafeMutablePointer(mutating: $0.baseAddress)) } }
            ?? posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(arguments[0]): error \(spawned)") }
        return pid
    }

    /// Waits for `pid` to end; returns its wait status.
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    private static func markInheritedDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for fd in names.compactMap(Int32.init) where fd > 2 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
