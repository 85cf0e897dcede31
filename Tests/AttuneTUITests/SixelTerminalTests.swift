// The built binary on a pseudo-terminal that plays a sixel terminal: it answers the start-up queries (DA1
// with 4 = sixel, CSI 16t with a 10×20 cell) and reads what the workbench draws. The source picture must
// arrive as a sixel string that libsixel decodes, at the size and cell the layout gives the Source panel's
// picture, in the sample's colours; nothing may reach the last row.
@testable import AttuneTUI
import AttuneTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct SixelTerminalTests {
    static let setsid = FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid")

    @Test(
        .timeLimit(.minutes(2)),
        .enabled(if: setsid, "util-linux setsid is needed to give the workbench a controlling terminal"),
        .enabled(if: TmuxSmokeTests.binary != nil, "the attune binary is not built next to the tests (run `swift build --build-tests`)"))
    func theSourcePictureArrivesAsSixelInItsPanel() async throws {
        let binary = try #require(TmuxSmokeTests.binary)
        let directory = Fixtures.temporaryDirectory("sixel-pty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/red-circle.png")
        let session = directory.appendingPathComponent("session.toml")
        try Data("[method]\nname = \"masactrl\"\n[source]\nimage = \"\(sample.path)\"\n[prompts]\ntarget = \"a yellow circle\"\n".utf8).write(to: session)
        let (columns, rows) = (100, 30)
        // The terminal answers the probe at once: cell size, then DA1 with sixel (4).
        let asked = Mutex(false)
        let terminal = try PseudoTerminal(
            [binary.path, "--session", session.path, directory.path], columns: columns, rows: rows, cellWidth: 10, cellHeight: 20,
            environment: ["TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(directory.path)", "XDG_CONFIG_HOME=\(directory.path)/config",
                          "XDG_STATE_HOME=\(directory.path)/state", "PATH=/usr/bin:/bin"]
        ) { chunk in
            guard String(decoding: chunk, as: UTF8.self).contains("\u{1B}[c") else { return nil }
            asked.withLock { $0 = true }
            return "\u{1B}[6;20;10t\u{1B}[?62;4;22c"
        }
        // Generous time: under a full parallel test run on 2 cores the picture can take many seconds.
        let drawn = await terminal.wait(seconds: 60) { output in
            SixelDecoding.placedSixels(in: output).contains { $0.row > 0 && $0.column < 40 }
        }
        terminal.type("q")
        let status = await terminal.finish(seconds: 20)
        #expect(asked.withLock { $0 }, "the workbench asks the terminal what it can do")
        #expect(drawn, "a sixel picture is drawn: \(SixelDecoding.placedSixels(in: terminal.output).map { ($0.column, $0.row, $0.bytes.count) })")
        #expect(status == 0, "the workbench quits on q")

        // Where the layout puts the Source panel's picture for a 512×512 source at this size.
        let layout = Layout.compute(width: columns, height: rows, focus: .source, zoomed: false)
        let source = try #require(layout.panels[.source]).inset(1)
        let sixels = SixelDecoding.placedSixels(in: terminal.output)
        let placed = try #require(sixels.first { source.contains(x: $0.column, y: $0.row) })
        let picture = try SixelDecoding.decode(placed.bytes)
        #expect(picture.width == picture.height && picture.height % 6 == 0, "square, whole sixel bands: \(picture.width)×\(picture.height)")
        let cells = Rect(x: placed.column, y: placed.row, width: (picture.width + 9) / 10, height: (picture.height + 19) / 20)
        #expect(cells.x >= source.x && cells.maxX <= source.maxX && cells.maxY <= source.maxY - 1, "inside the panel, above its caption: \(cells) in \(source)")
        // The sample's colours: the red disc in the middle, the blue ground in a corner (libsixel's palette
        // quantises to 0-100%, so ±12 of 255).
        func near(_ a: RGB, _ b: RGB) -> Bool { abs(Int(a.r) - Int(b.r)) <= 12 && abs(Int(a.g) - Int(b.g)) <= 12 && abs(Int(a.b) - Int(b.b)) <= 12 }
        #expect(near(picture[picture.width / 2, picture.height / 2], RGB(210, 30, 30)) && near(picture[2, 2], RGB(40, 70, 170)))
        for sixel in sixels {
            let height = try SixelDecoding.decode(sixel.bytes).height
            #expect(sixel.row + (height - 1) / 20 < rows - 1, "no sixel band on the last row (it would scroll the screen)")
        }
    }
}
