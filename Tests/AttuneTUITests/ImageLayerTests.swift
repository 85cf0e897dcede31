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

    @Test func picturesUnderAPopupWaitAndComeBackWhenItCloses() {
        let layer = ImageLayer(mode: .sixel, palette: .truecolor)
        var plain = Surface(width: 20, height: 10)
        _ = layer.plan([placement("a")], surface: plain, previous: nil, overlay: nil, repainted: true)
        var withPopup = plain
        withPopup.fill(Rect(x: 0, y: 0, width: 10, height: 6), style: TextStyle(modifiers: .reverse))
        let during = layer.plan([placement("a")], surface: withPopup, previous: plain, overlay: Rect(x: 0, y: 0, width: 10, height: 6), repainted: false)
        #expect(during.bytes.isEmpty && !during.needsRepaint)
        plain.put(" ", x: 0, y: 0, style: .plain)
        let after = layer.plan([placement("a")], surface: plain, previous: withPopup, overlay: nil, repainted: false)
        #expect(!after.bytes.isEmpty)
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
