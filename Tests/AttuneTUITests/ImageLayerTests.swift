// Out-of-band pictures: sent once, sent again only when their content or the cells under them changed,
// held back under a popup, and a repaint asked for when a picture moves or vanishes.
@testable import AttuneTUI
import Testing

@Suite struct ImageLayerTests {
    private func placement(_ key: String, at cells: Rect = Rect(x: 2, y: 3, width: 4, height: 2)) -> ImagePlacement {
        ImagePlacement(key: key, fit: ImageFit(cells: cells, pixelWidth: 4, pixelHeight: 4)) { w, h in
            Picture(width: w, height: h, color: RGB(200, 10, 10))
        }
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func halfBlocksAreWrittenAtTheirCellsBetweenSaveAndRestore() {
        let layer = ImageLayer(mode: .halfblocks, palette: .truecolor)
        let surface = Surface(width: 20, height: 10)
        let plan = layer.plan([placement("a")], surface: surface, previous: nil, overlay: nil, repainted: true)
        let row = "\u{1B}[38;2;200;10;10;48;2;200;10;10m▀"
        #expect(text(plan.bytes) == "\u{1B}7\u{1B}[4;3H" + String(repeating: row, count: 4) + "\u{1B}[0m\u{1B}[5;3H" + String(repeating: row, count: 4) + "\u{1B}[0m\u{1B}8")
        #expect(!plan.needsRepaint)
    }

    @Test func unchangedPicturesAreNotSentAgain() {
        let layer = ImageLayer(mode: .sixel, palette: .truecolor)
        let surface = Surface(width: 20, height: 10)
        let first = layer.plan([placement("a")], surface: surface, previous: nil, overlay: nil, repainted: true)
        #expect(text(first.bytes).hasPrefix("\u{1B}7\u{1B}[4;3H\u{1B}P"))
        #expect(layer.plan([placement("a")], surface: surface, previous: surface, overlay: nil, repainted: false).bytes.isEmpty)
        #expect(!layer.plan([placement("b")], surface: surface, previous: surface, overlay: nil, repainted: false).bytes.isEmpty)
        // Text drawn under the picture (curses rewrote those cells) means drawing it again.
        var changed = surface
        changed.put("x", x: 3, y: 4, style: .plain)
        #expect(!layer.plan([placement("b")], surface: changed, previous: surface, overlay: nil, repainted: false).bytes.isEmpty)
    }

    @Test func picturesUnderAPopupAreWipedAndComeBackWhenItCloses() {
        let layer = ImageLayer(mode: .sixel, palette: .truecolor)
        let plain = Surface(width: 20, height: 10)
        _ = layer.plan([placement("a")], surface: plain, previous: nil, overlay: nil, repainted: true)
        // The popup's blank cells may look unchanged to curses: a repaint must wipe the picture's pixels.
        let popup = Rect(x: 0, y: 0, width: 10, height: 6)
        let opening = layer.plan([placement("a")], surface: plain, previous: plain, overlay: popup, repainted: false)
        #expect(opening.bytes.isEmpty && opening.needsRepaint)
        let repainted = layer.plan([placement("a")], surface: plain, previous: nil, overlay: popup, repainted: true)
        #expect(repainted.bytes.isEmpty && !repainted.needsRepaint)
        #expect(layer.plan([placement("a")], surface: plain, previous: plain, overlay: popup, repainted: false) == ImageLayer.Plan(bytes: [], needsRepaint: false))
        // Closed: the picture is drawn again even though the text under it did not change.
        let after = layer.plan([placement("a")], surface: plain, previous: plain, overlay: nil, repainted: false)
        #expect(!after.bytes.isEmpty && !after.needsRepaint)
    }

    @Test func movedOrVanishedPicturesNeedARepaint() {
        let layer = ImageLayer(mode: .sixel, palette: .truecolor)
        let surface = Surface(width: 20, height: 10)
        _ = layer.plan([placement("a")], surface: surface, previous: nil, overlay: nil, repainted: true)
        #expect(layer.plan([], surface: surface, previous: surface, overlay: nil, repainted: false).needsRepaint)
        let moved = layer.plan([placement("a", at: Rect(x: 5, y: 3, width: 4, height: 2))], surface: surface, previous: surface, overlay: nil, repainted: false)
        #expect(moved.needsRepaint && moved.bytes.isEmpty)
        let redrawn = layer.plan([placement("a", at: Rect(x: 5, y: 3, width: 4, height: 2))], surface: surface, previous: nil, overlay: nil, repainted: true)
        #expect(text(redrawn.bytes).hasPrefix("\u{1B}7\u{1B}[4;6H"))
    }

    @Test func noGraphicsSendsNothing() {
        let layer = ImageLayer(mode: .none, palette: .truecolor)
        #expect(layer.plan([placement("a")], surface: Surface(width: 20, height: 10), previous: nil, overlay: nil, repainted: true).bytes.isEmpty)
    }
}
