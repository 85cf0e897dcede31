// Pictures on the whole screen, as a terminal would show them: every panel's picture (source, each preview
// mode, attention heat map, mask) is replayed with the workbench's own bytes onto its text and must land
// inside its panel, above the caption row, leave every border and the first and last rows as curses drew
// them, and never make the screen scroll; in half-blocks and in sixel, at several screen sizes.
@testable import AttuneTUI
import AttuneEditing
import Foundation
import Testing

@Suite struct PicturePlacementTests {
    /// Everything that shows a picture: a chosen 96×64 source, a result, a latent preview, maps and a token.
    static func busyState() -> AppState {
        var state = KeyScript.runnable()
        let url = URL(fileURLWithPath: "/pictures/scene.png")
        state.browser.entries = [url]
        state.browser.chosen = url
        state.sourcePicture = Picture(width: 96, height: 64, color: RGB(20, 40, 200))
        state.job.result = Picture(width: 96, height: 64, color: RGB(200, 40, 20))
        state.job.latent = Picture(width: 12, height: 8, color: RGB(90, 90, 90))
        state.job.hasRun = true
        state.job.status = .finished
        state.prompts.token = TokenSelection(field: .target, index: 2)
        state.inspector.maps = [AttentionMap(kind: .cross, branch: .target, step: 0, resolution: 16, keyCount: 77,
                                             values: (0..<(256 * 77)).map { Float($0 % 7) / 7 })]
        state.mask.grid.fill()
        return state
    }

    @Test(arguments: [(130, 40), (120, 36), (80, 24), (200, 60), (97, 31)], [GraphicsMode.halfblocks, .sixel])
    func picturesStayInTheirPanelsAndNothingScrolls(size: (Int, Int), mode: GraphicsMode) throws {
        let (width, height) = size
        for previewMode in PreviewMode.allCases {
            var script = KeyScript(state: Self.busyState(), width: width, height: height, graphics: mode)
            script.context.cellSize = CellSize(width: 9, height: 18)
            script.dispatch(.setPreviewMode(previewMode))
            let surface = script.compositor.render(script.state, context: script.context, layout: script.layout).surface
            let keys = surface.images.map { $0.key.prefix { $0 != ":" } }
            #expect(keys.sorted() == ["inspector", "mask", "preview", "source"], "\(width)x\(height) \(previewMode): \(keys)")
            let layer = ImageLayer(mode: mode, palette: .truecolor)
            let plan = layer.plan(surface.images, surface: surface, previous: nil, overlay: nil, repainted: true)
            var terminal = TerminalReplay(surface, cell: script.context.cellSize)
            terminal.apply(plan.bytes)
            #expect(terminal.scrolls == 0, "\(width)x\(height) \(mode) \(previewMode)")

            // Each picture inside its panel's inside, above the caption row.
            let insides = PanelID.allCases.compactMap { script.layout.panels[$0]?.inset(1) }.filter { !$0.isEmpty }
            for placement in surface.images {
                let cells = placement.fit.cells
                let inside = try #require(insides.first { $0.contains(x: cells.x, y: cells.y) })
                #expect(cells.x >= inside.x && cells.maxX <= inside.maxX && cells.y >= inside.y && cells.maxY <= inside.maxY - 1,
                        "\(placement.key) at \(cells) in \(inside)")
            }
            for cell in terminal.pictureCells {
                #expect(surface.images.contains { $0.fit.cells.contains(x: cell[0], y: cell[1]) }, "a picture pixel outside every placement at \(cell)")
            }
            // Wherever no picture is, the text is what curses drew: borders, captions, first and last rows.
            let drawn = (0..<height).map { y in (0..<width).map { surface[$0, y].text } }
            for y in 0..<height {
                for x in 0..<width where !terminal.pictureCells.contains([x, y]) && terminal.text[y][x] != drawn[y][x] {
                    Issue.record("\(width)x\(height) \(mode) \(previewMode): cell \(x),\(y) is '\(terminal.text[y][x])', curses drew '\(drawn[y][x])'")
                }
            }
            #expect(terminal.lines[0] == drawn[0].joined() && terminal.lines[height - 1] == drawn[height - 1].joined())
        }
    }

    @Test func theReplayNoticesAPictureWrittenPastTheLastRow() {
        // The check above is only worth something if a picture one row too low is caught.
        var surface = Surface(width: 20, height: 6)
        surface.put("status", x: 0, y: 5, style: .plain)
        let low = ImagePlacement(key: "low", fit: ImageFit(cells: Rect(x: 0, y: 5, width: 20, height: 2), pixelWidth: 20, pixelHeight: 4)) { w, h in
            Picture(width: w, height: h, color: RGB(1, 2, 3))
        }
        var terminal = TerminalReplay(surface)
        terminal.apply(ImageLayer(mode: .halfblocks, palette: .truecolor).plan([low], surface: surface, previous: nil, overlay: nil, repainted: true).bytes)
        #expect(terminal.lines[5] != "status              ")
        var tall = TerminalReplay(surface, cell: CellSize(width: 10, height: 20))
        tall.apply(Array("\u{1B}[5;1H\u{1B}Pq\"1;1;20;60#0~-~-~\u{1B}\\".utf8))
        #expect(tall.scrolls == 1, "a 60-pixel sixel from the 5th of 6 rows needs rows 5...7")
    }
}
