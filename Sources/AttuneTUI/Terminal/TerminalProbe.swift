// Asks the terminal what it can do, before curses starts (tui.md §1.2, §1.5): XTSMGRAPHICS sixel geometry,
// CSI 16t cell size and DA1 last as the sentinel every terminal answers, read from /dev/tty in raw mode
// with a short time limit; plus TIOCGWINSZ.
import Foundation

public enum TerminalProbe {
    /// Query bytes: XTSMGRAPHICS read geometry, cell size in pixels, primary device attributes.
    static let query = "\u{1B}[?2;1;0S\u{1B}[16t\u{1B}[c"

    public static func windowSize(of fd: Int32) -> WindowSize? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
        return WindowSize(columns: Int(size.ws_col), rows: Int(size.ws_row), pixelWidth: Int(size.ws_xpixel), pixelHeight: Int(size.ws_ypixel))
    }

    /// The terminal's replies, or nil when there is no terminal or it stays silent.
    public static func ask(timeoutMilliseconds: Int = 400) -> TerminalReplies? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        defer { tcsetattr(fd, TCSANOW, &saved) }

        let bytes = Array(query.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { return nil }
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var buffer = [UInt8](repeating: 0, count: 512)
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&descriptor, 1, milliseconds) > 0 else { break }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
            // DA1 comes last: once it is in, everything the terminal will say has arrived.
            if TerminalReplies.parse(received).deviceAttributes != nil { break }
        }
        let replies = TerminalReplies.parse(received)
        return replies.deviceAttributes == nil && replies.cellSize == nil ? nil : replies
    }
}
