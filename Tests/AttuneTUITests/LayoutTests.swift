// Layout math: panels tile the screen above the progress and status rows, pictures fit their panel, keep
// their aspect ratio, use whole sixel bands, and never reach the last row.
@testable import AttuneTUI
import Foundation
import Testing

@Suite struct LayoutTests {
    @Test(arguments: [(80, 24), (120, 36), (200, 60), (81, 13)])
    func panelsTileTheScreenAboveTheStatusRows(width: Int, height: Int) {
        let layout = Layout.compute(width: width, height: height, focus: .source, zoomed: false)
        #expect(layout.statusRow == height - 1 && layout.progressRow == height - 2)
        var covered = Set<Int>()
        for panel in PanelID.allCases {
            let rect = layout.panels[panel]!
            #expect(!rect.isEmpty && rect.maxY <= height - 2 && rect.maxX <= width, "\(panel) \(rect)")
            for y in rect.y..<rect.maxY {
                for x in rect.x..<rect.maxX { #expect(covered.insert(y * width + x).inserted, "\(panel) overlaps at \(x),\(y)") }
            }
        }
        #expect(covered.count == width * (height - 2))
    }

    @Test func smallScreensShowOnlyTheFocusedPanel() {
        let layout = Layout.compute(width: 60, height: 20, focus: .mask, zoomed: false)
        #expect(layout.panels[.mask] == Rect(x: 0, y: 0, width: 60, height: 18))
        #expect(PanelID.allCases.filter { !layout.panels[$0]!.isEmpty } == [.mask])
        #expect(layout.panel(atX: 5, y: 5) == .mask)
    }

    @Test(arguments: [GraphicsMode.sixel, .halfblocks])
    func picturesFitTheirAreaAndNeverTouchTheLastRow(mode: GraphicsMode) throws {
        let cell = CellSize(width: 9, height: 19)
        for (width, height) in [(512, 512), (768, 512), (64, 64), (300, 900)] {
            for area in [Rect(x: 3, y: 2, width: 40, height: 20), Rect(x: 0, y: 10, width: 30, height: 14), Rect(x: 1, y: 1, width: 10, height: 3)] {
                let fit = try #require(ImageFit.fit(width: width, height: height, in: area, screenRows: 24, mode: mode, cell: cell))
                #expect(fit.cells.y >= area.y && fit.cells.x >= area.x && fit.cells.maxX <= area.maxX, "\(fit)")
                #expect(fit.cells.maxY <= min(area.maxY, 23), "the last row (23) stays free: \(fit)")
                let (cw, ch) = mode == .sixel ? (9, 19) : (1, 2)
                #expect(fit.pixelWidth <= fit.cells.width * cw && fit.pixelHeight <= fit.cells.height * ch)
                if mode == .sixel && fit.pixelHeight >= 6 { #expect(fit.pixelHeight % 6 == 0) }
                // Aspect ratio within one pixel row/column plus the band rounding.
                let aspect = Double(width) / Double(height), shown = Double(fit.pixelWidth) / Double(fit.pixelHeight)
                #expect(abs(shown - aspect) / aspect < 0.25 || fit.pixelWidth < 8 || fit.pixelHeight < 12, "\(width)x\(height) shown as \(fit)")
            }
        }
    }

    @Test func anAreaOnTheLastRowGetsNoPicture() {
        let area = Rect(x: 0, y: 23, width: 20, height: 1)
        #expect(ImageFit.fit(width: 10, height: 10, in: area, screenRows: 24, mode: .sixel, cell: .fallback) == nil)
        #expect(ImageFit.fit(width: 10, height: 10, in: area, screenRows: 24, mode: .none, cell: .fallback) == nil)
    }

    @Test func squarePictureInAWideSixelArea() throws {
        let fit = try #require(ImageFit.fit(width: 512, height: 512, in: Rect(x: 0, y: 0, width: 40, height: 10), screenRows: 30, mode: .sixel, cell: CellSize(width: 10, height: 20)))
        #expect(fit.pixelHeight == 198 && fit.pixelWidth == 198, "whole bands, and the width follows to keep it square")
        #expect(fit.cells == Rect(x: 10, y: 0, width: 20, height: 10))
    }

    @Test func everyPanelsPictureStaysAboveTheLastRow() {
        var script = KeyScript(state: KeyScript.runnable(), width: 100, height: 30, graphics: .sixel)
        script.dispatch(.pictureLoaded(URL.init(fileURLWithPath: "/x.png"), Picture(width: 512, height: 512, color: RGB(1, 1, 1))))
        script.state.browser.chosen = URL(fileURLWithPath: "/x.png")
        script.dispatch(.pictureLoaded(URL(fileURLWithPath: "/x.png"), Picture(width: 512, height: 512, color: RGB(1, 1, 1))))
        let surface = script.compositor.render(script.state, context: script.context, layout: script.layout).surface
        #expect(surface.images.count >= 3)
        for image in surface.images { #expect(image.fit.cells.maxY <= 28, "\(image.key) at \(image.fit.cells)") }
    }

    @Test(arguments: [(1, 1), (10, 3), (30, 8), (79, 11)])
    func tinyScreensStillRender(width: Int, height: Int) {
        var script = KeyScript(state: KeyScript.runnable(), width: width, height: height, graphics: .sixel)
        for panel in PanelID.allCases {
            script.press(String(panel.rawValue))
            #expect(script.screen.count == height)
        }
        script.press("?")
        #expect(script.screen.count == height)
        script.press("esc", "ctrl-o")
        #expect(script.screen.allSatisfy { Surface.displayWidth($0) == width })
    }
}
