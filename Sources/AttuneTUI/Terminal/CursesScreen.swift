// The terminal through ncurses: start-up (locale, raw keys, 25 ms Esc delay, mouse with drag reports,
// colours), reading keys and mouse, copying a Surface to the screen, and writing picture bytes out of band
// after curses has flushed (tui.md §1.1, §3.3, §4.4).
import CCurses
import Foundation

final class CursesScreen {
    private let window: UnsafeMutablePointer<WINDOW>
    private let colors: CursesColors
    /// Set by the SIGWINCH handler, taken by `takeResize`.
    nonisolated(unsafe) static var windowChanged: sig_atomic_t = 0

    /// Starts curses. `useColor` false (NO_COLOR) keeps the terminal's colours and draws with attributes only.
    init(useColor: Bool) {
        setlocale(LC_ALL, "")
        window = initscr() ?? attune_stdscr()
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        idlok(window, false)
        scrollok(window, false)
        curs_set(0)
        // ncurses cuts an update short when input is waiting (typeahead) and finishes it on a later refresh; the
        // pictures written after `draw` assume the text under them is complete (a popup opened while keys arrive
        // showed picture cells through it), so every update runs to its end.
        typeahead(-1)
        colors = CursesColors(enabled: useColor && has_colors())
        // In nodelay mode ncurses turns a SIGWINCH into KEY_RESIZE only when a key comes in, so a resize would
        // wait for the next key press: catch the signal here instead (it also interrupts the main loop's poll).
        signal(SIGWINCH) { _ in CursesScreen.windowChanged = 1 }
        var old: mmask_t = 0
        mousemask(mmask_t(attune_all_mouse_events()), &old)
        mouseinterval(0)
        // ncurses turns on click reports only; 1002 adds motion while a button is held (mask painting).
        Self.writeOut(Array("\u{1B}[?1002h".utf8))
    }

    func stop() {
        Self.writeOut(Array("\u{1B}[?1002l".utf8))
        endwin()
    }

    var size: (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        attune_getmaxyx(window, &y, &x)
        return (Int(x), Int(y))
    }

    // MARK: - Input

    /// After a SIGWINCH: gives curses the terminal's new size; returns whether there was one.
    func takeResize() -> Bool {
        guard Self.windowChanged != 0 else { return false }
        Self.windowChanged = 0
        guard let size = TerminalProbe.windowSize(of: STDOUT_FILENO), size.columns > 0, size.rows > 0 else { return false }
        resizeterm(Int32(size.rows), Int32(size.columns))
        return true
    }

    /// Everything waiting in the input queue, less terminal replies that came too late for the probe.
    func readEvents() -> [InputEvent] {
        Self.droppingTerminalReplies(readQueue())
    }

    /// A terminal answering the start-up probe after its 400 ms (a slow link) would otherwise type
    /// "ESC [ ? 6 2 ; 4 c": Esc, then "?" opening the help and digits moving the focus. Curses passes such
    /// unknown sequences on a character at a time; a complete CSI sequence in one read is dropped.
    static func droppingTerminalReplies(_ events: [InputEvent]) -> [InputEvent] {
        var out: [InputEvent] = []
        var i = 0
        while i < events.count {
            if events[i] == .key(.escape), i + 2 < events.count, events[i + 1] == .key(.character("[")) {
                var j = i + 2
                while j < events.count, case .key(.character(let c)) = events[j], let v = c.asciiValue, (0x20...0x3F).contains(v) { j += 1 }
                if j < events.count, case .key(.character(let c)) = events[j], let v = c.asciiValue, (0x40...0x7E).contains(v) {
                    i = j + 1
                    continue
                }
            }
            out.append(events[i])
            i += 1
        }
        return out
    }

    private func readQueue() -> [InputEvent] {
        var events: [InputEvent] = []
        while true {
            var character: wint_t = 0
            let result = wget_wch(window, &character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let event = functionKey(Int32(character)) { events.append(event) }
            } else if let event = Self.characterKey(UInt32(character)) {
                events.append(.key(event))
            }
        }
        return events
    }

    static func characterKey(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(code + 96) ?? "a"))
        case 0x20...: return UnicodeScalar(code).map { .character(Character($0)) }
        default: return nil
        }
    }

    private func functionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return mouseEvent()
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_SR: return .key(.shiftUp)
        case KEY_SF: return .key(.shiftDown)
        case KEY_SLEFT: return .key(.shiftLeft)
        case KEY_SRIGHT: return .key(.shiftRight)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(.insert)
        case KEY_BTAB: return .key(.backTab)
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = UInt(event.bstate)
        let kind: MouseEvent.Kind
        if state & attune_button4_pressed() != 0 {
            kind = .scrollUp
        } else if state & attune_button5_pressed() != 0 {
            kind = .scrollDown
        } else if state & (attune_button1_pressed() | attune_button1_clicked()) != 0 {
            kind = .press
        } else if state & attune_button1_released() != 0 {
            kind = .release
        } else if state & attune_report_mouse_position() != 0 {
            kind = .drag
        } else {
            return nil
        }
        return .mouse(MouseEvent(kind, x: Int(event.x), y: Int(event.y)))
    }

    // MARK: - Output

    /// Copies the surface into curses and updates the terminal (curses sends only what changed).
    func draw(_ surface: Surface) {
        for y in 0..<surface.height {
            var x = 0
            while x < surface.width {
                // One run of cells with the same style becomes one string.
                let style = surface[x, y].style
                var text = ""
                var end = x
                while end < surface.width, surface[end, y].style == style {
                    text += surface[end, y].text
                    end += 1
                }
                colors.apply(style, to: window)
                // Writing the bottom-right cell reports ERR (the cursor cannot advance) but the text is drawn.
                _ = attune_mvwaddstr(window, Int32(y), Int32(x), text)
                x = end
            }
        }
        if let cursor = surface.cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Makes curses repaint everything on the next update (pictures drawn out of band are lost by it).
    func invalidate() {
        redrawwin(window)
    }

    /// Bytes for the terminal itself (pictures), after curses' own output.
    func writeRaw(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        fflush(stdout)
        Self.writeOut(bytes)
    }

    private static func writeOut(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }
}
