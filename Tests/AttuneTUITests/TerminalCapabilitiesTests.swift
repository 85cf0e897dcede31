// Reading the terminal's answers and deciding how to draw: sixel from DA1, the cell size from TIOCGWINSZ
// (but not inside tmux), CSI 16t or XTSMGRAPHICS; colours from COLORTERM and NO_COLOR.
@testable import AttuneTUI
import Testing

@Suite struct TerminalCapabilitiesTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func parsesXtermVT340Replies() {
        let replies = TerminalReplies.parse(bytes("\u{1B}[?2;0;720;456S\u{1B}[6;19;9t\u{1B}[?63;1;2;4;6;9;15;16;22;28c"))
        #expect(replies.deviceAttributes == [63, 1, 2, 4, 6, 9, 15, 16, 22, 28])
        #expect(replies.sixelGeometry?.width == 720 && replies.sixelGeometry?.height == 456)
        #expect(replies.cellSize == CellSize(width: 9, height: 19))
    }

    @Test func parsesTmuxAndFailureReplies() {
        #expect(TerminalReplies.parse(bytes("\u{1B}[?1;2c")) == TerminalReplies(deviceAttributes: [1, 2]))
        // XTSMGRAPHICS failure (status 3) and a 14t answer are not sizes we use.
        #expect(TerminalReplies.parse(bytes("\u{1B}[?2;3S\u{1B}[4;456;720t")) == TerminalReplies())
        #expect(TerminalReplies.parse(bytes("junk\u{1B}[?64;1;2;6c")).deviceAttributes == [64, 1, 2, 6])
    }

    @Test func sixelOnlyWhenDA1SaysSo() {
        let sixel = TerminalReplies(deviceAttributes: [63, 1, 2, 4])
        let window = WindowSize(columns: 80, rows: 24, pixelWidth: 724, pixelHeight: 460)
        let caps = TerminalCapabilities.decide(replies: sixel, window: window, environment: [:], override: nil, configuredCellSize: nil)
        #expect(caps.graphics == .sixel && caps.cellSize == CellSize(width: 9, height: 19))
        let plain = TerminalCapabilities.decide(replies: TerminalReplies(deviceAttributes: [64, 1, 2, 6]), window: window, environment: [:], override: nil, configuredCellSize: nil)
        #expect(plain.graphics == .halfblocks)
        let silent = TerminalCapabilities.decide(replies: nil, window: nil, environment: [:], override: nil, configuredCellSize: nil)
        #expect(silent.graphics == .halfblocks && silent.cellSize == .fallback)
        let forced = TerminalCapabilities.decide(replies: sixel, window: window, environment: [:], override: GraphicsMode.none, configuredCellSize: nil)
        #expect(forced.graphics == .none)
    }

    @Test func tmuxPixelSizesAreNotTrusted() {
        let window = WindowSize(columns: 80, rows: 24, pixelWidth: 1280, pixelHeight: 768)
        let caps = TerminalCapabilities.decide(
            replies: TerminalReplies(deviceAttributes: [1, 2]), window: window, environment: ["TMUX": "/tmp/tmux-0/default,1,0"], override: nil,
            configuredCellSize: CellSize(width: 8, height: 16))
        #expect(caps.inTmux && caps.graphics == .halfblocks && caps.cellSize == CellSize(width: 8, height: 16))
        let answered = TerminalCapabilities.decide(
            replies: TerminalReplies(deviceAttributes: [1, 2, 4], cellSize: CellSize(width: 10, height: 21)), window: window,
            environment: ["TERM": "tmux-256color"], override: nil, configuredCellSize: nil)
        #expect(answered.graphics == .sixel && answered.cellSize == CellSize(width: 10, height: 21))
        let geometry = TerminalCapabilities.decide(
            replies: TerminalReplies(deviceAttributes: [63, 4], sixelGeometry: (800, 480)), window: WindowSize(columns: 80, rows: 24, pixelWidth: 0, pixelHeight: 0),
            environment: [:], override: nil, configuredCellSize: nil)
        #expect(geometry.cellSize == CellSize(width: 10, height: 20))
    }

    @Test func colourFromTheEnvironment() {
        func decide(_ environment: [String: String]) -> TerminalCapabilities {
            TerminalCapabilities.decide(replies: nil, window: nil, environment: environment, override: nil, configuredCellSize: nil)
        }
        #expect(decide(["COLORTERM": "truecolor"]).truecolor && decide(["COLORTERM": "24bit"]).truecolor)
        #expect(!decide(["COLORTERM": "yes"]).truecolor)
        #expect(decide(["NO_COLOR": "1"]).noColor)
        #expect(!decide(["NO_COLOR": ""]).noColor, "an empty NO_COLOR does not count (no-color.org)")
    }

    @Test func keysFromCursesCharacters() {
        #expect(CursesScreen.characterKey(9) == .tab && CursesScreen.characterKey(13) == .enter && CursesScreen.characterKey(27) == .escape)
        #expect(CursesScreen.characterKey(127) == .backspace && CursesScreen.characterKey(19) == .control("s"))
        #expect(CursesScreen.characterKey(0x732B) == .character("猫"))
    }

    @Test func lateProbeRepliesAreNotTakenForKeys() {
        func events(_ text: String) -> [InputEvent] {
            text.unicodeScalars.compactMap { CursesScreen.characterKey($0.value).map(InputEvent.key) }
        }
        // DA1 and the cell size arriving after the probe gave up, around two real key presses.
        let late = events("j\u{1B}[6;20;10t\u{1B}[?62;4;22ck")
        #expect(CursesScreen.droppingTerminalReplies(late) == [.key(.character("j")), .key(.character("k"))])
        // A lone Esc, and Esc then "[" without a final byte, are keys.
        #expect(CursesScreen.droppingTerminalReplies(events("\u{1B}")) == [.key(.escape)])
        #expect(CursesScreen.droppingTerminalReplies(events("\u{1B}[")) == [.key(.escape), .key(.character("["))])
    }
}
