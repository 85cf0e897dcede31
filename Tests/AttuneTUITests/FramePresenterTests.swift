// The frame loop's drawing, driven through long random sequences of frames against a model terminal: curses
// rewrites only the cells it believes changed (every cell after an invalidate), pictures are half-block text
// written out of band. After every frame no picture shows through a popup, every picture not under one is
// whole, and every other cell shows the frame's text.
@testable import AttuneTUI
import Testing

/// A terminal as the workbench sees it through curses: what is on screen, and what curses believes is there.
private final class ModelTerminal: FrameScreen {
    enum Content: Equatable { case text(Cell), pixel }
    let width: Int, height: Int
    private(set) var screen: [Content]
    private var belief: [Cell]?
    private var invalidated = false

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        screen = Array(repeating: .pixel, count: width * height)  // garbage until the first full draw
    }

    func invalidate() { invalidated = true }

    func draw(_ surface: Surface) {
        for i in 0..<surface.cells.count where invalidated || belief?[i] != surface.cells[i] { screen[i] = .text(surface.cells[i]) }
        belief = surface.cells
        invalidated = false
    }

    /// Cursor moves (CSI row;col H) place what follows; other escape sequences leave no mark; every other
    /// character (a UTF-8 lead byte) is one picture cell.
    func writeRaw(_ bytes: [UInt8]) {
        var (x, y) = (0, 0)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1B {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                    var j = i + 2
                    while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                    if bytes[j] == UInt8(ascii: "H") {
                        let numbers = String(decoding: bytes[(i + 2)..<j], as: UTF8.self).split(separator: ";").map { Int($0)! }
                        (y, x) = (numbers[0] - 1, numbers[1] - 1)
                    }
                    i = j + 1
                } else {
                    i += 2  // DECSC / DECRC
                }
                continue
            }
            if bytes[i] & 0xC0 != 0x80 {
                precondition(x >= 0 && x < width && y >= 0 && y < height, "a picture cell off the screen at \(x),\(y)")
                screen[y * width + x] = .pixel
                x += 1
            }
            i += 1
        }
    }
}

@Suite struct FramePresenterTests {
    /// The workbench's pictures: fixed places, content that changes (a preview per step), one that can move.
    private struct Scene {
        var sourceKey = 0, previewKey = 0
        var previewAt = Rect(x: 30, y: 4, width: 12, height: 6)
        var popup: Rect?
        var status = 0
        var caption = 0

        func frame(width: Int, height: Int) -> (surface: Surface, overlay: Rect?) {
            var surface = Surface(width: width, height: height)
            surface.put("status \(status)", x: 0, y: height - 1, style: .plain)
            // Text next to the preview on its own rows, as a caption or a progress row would be.
            surface.put("step \(caption)", x: previewAt.x, y: previewAt.maxY, style: .plain)
            for (key, cells) in [("source \(sourceKey)", Rect(x: 2, y: 2, width: 10, height: 5)), ("preview \(previewKey)", previewAt)] {
                surface.images.append(ImagePlacement(key: key, fit: ImageFit(cells: cells, pixelWidth: cells.width, pixelHeight: 2 * cells.height)) { w, h in
                    Picture(width: w, height: h, color: RGB(UInt8(key.count * 20), 40, 90))
                })
            }
            if let popup {
                surface.fill(popup, style: .plain)  // blanks on the same colours: curses skips them if it can
                surface.put("Keys", x: popup.x + 1, y: popup.y + 1, style: .plain)
            }
            return (surface, popup)
        }
    }

    private func check(_ terminal: ModelTerminal, _ frame: (surface: Surface, overlay: Rect?), step: Int, seed: UInt64) -> Bool {
        let visible = frame.surface.images.map(\.fit.cells).filter { cells in frame.overlay.map { !cells.intersects($0) } ?? true }
        for y in 0..<terminal.height {
            for x in 0..<terminal.width {
                let shown = terminal.screen[y * terminal.width + x]
                let want: ModelTerminal.Content = visible.contains { $0.contains(x: x, y: y) } ? .pixel : .text(frame.surface[x, y])
                if shown != want {
                    Issue.record("seed \(seed), frame \(step): cell \(x),\(y) shows \(shown), want \(want) (popup \(String(describing: frame.overlay)))")
                    return false
                }
            }
        }
        return true
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomFrameSequencesKeepPicturesOutOfPopups(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let (width, height) = (60, 20)
        let terminal = ModelTerminal(width: width, height: height)
        let presenter = FramePresenter(images: ImageLayer(mode: .halfblocks, palette: .truecolor))
        var scene = Scene()
        for step in 0..<600 {
            // Several changes may land in one frame, as keys and mailbox messages do between two polls.
            for _ in 0...rng.next(2) {
                switch rng.next(9) {
                case 0, 1: scene.previewKey += 1
                case 2: scene.sourceKey += 1
                case 3: scene.popup = scene.popup == nil ? Rect(x: 8 + rng.next(20), y: 1 + rng.next(4), width: 10 + rng.next(20), height: 3 + rng.next(10)) : nil
                case 4: scene.status += 1
                case 5: scene.caption += 1
                case 6: scene.previewAt = Rect(x: 28 + rng.next(6), y: 3 + rng.next(3), width: 12, height: 6)
                case 7:
                    presenter.forget()
                    terminal.invalidate()
                default: break
                }
            }
            let frame = scene.frame(width: width, height: height)
            presenter.present(frame, on: terminal)
            guard check(terminal, frame, step: step, seed: seed) else { return }
        }
    }
}

/// A small deterministic generator (SplitMix64) so a failing sequence can be replayed from its seed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
