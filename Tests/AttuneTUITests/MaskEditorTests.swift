// The mask editor: keyboard brush and pen, mouse strokes, whole-mask operations, undo, and masks seeded
// from a token's cross-attention; plus the MaskGrid operations underneath.
@testable import AttuneTUI
import AttuneEditing
import AttuneTestSupport
import Foundation
import Testing

@Suite struct MaskEditorTests {
    @Test func keyboardBrushPaintsAtTheCursorAndEraserRemoves() {
        var script = KeyScript()
        script.press("6", "[", "[", "[")
        #expect(script.state.mask.brushRadius == 1)
        script.press("space")
        #expect(script.state.mask.grid[32, 32] == 1)
        #expect(script.state.mask.grid[34, 32] == 0)
        script.press("l", "l", "l", "space")
        #expect(script.state.mask.grid[35, 32] == 1)
        script.press("b", "space")
        #expect(script.state.mask.tool == .eraser && script.state.mask.grid[35, 32] == 0)
        #expect(script.state.session.dirty && script.state.settings.mask == nil)
    }

    @Test func penDownPaintsWhileMoving() {
        var script = KeyScript()
        script.press("6", "[", "[", "[", "p", "L", "L")
        #expect(script.state.mask.penDown && script.state.mask.cursor == (40, 32))
        #expect((32...40).allSatisfy { script.state.mask.grid[$0, 32] == 1 })
        script.press("p", "J", "space")
        #expect(!script.state.mask.penDown && script.state.mask.grid[40, 34] == 0)
        // The cursor stops at the grid's edge.
        for _ in 0..<30 { script.press("K") }
        #expect(script.state.mask.cursor.y == 0)
    }

    @Test func fillInvertClearFeatherAndUndo() {
        var script = KeyScript()
        script.press("6", "f")
        #expect(script.state.mask.grid.coverage == 1)
        script.press("i")
        #expect(script.state.mask.grid.isEmpty)
        script.press("space", "}", "}", "F")
        #expect(script.state.mask.featherRadius == 4)
        let feathered = script.state.mask.grid
        #expect(feathered[32, 32] < 1 && feathered[32, 32] > 0 && feathered[38, 32] > 0)
        script.press("u")
        #expect(script.state.mask.grid[32, 32] == 1 && script.state.mask.grid[37, 32] == 0)
        script.press("x")
        #expect(script.state.mask.grid.isEmpty)
        script.press("u", "u", "u")  // the clear, the dab, the invert
        #expect(script.state.mask.grid.coverage == 1)
        script.press("u", "u")
        #expect(script.state.status?.text == "nothing to undo")
    }

    @Test func mouseDragPaintsAStrokeAndReleaseEndsIt() {
        var script = KeyScript()
        script.press("[", "[", "[")  // the brush keys belong to the mask panel; focus it first
        #expect(script.state.mask.brushRadius == 4)
        script.press("6", "[", "[", "[")
        // Where the mask picture is drawn.
        let fit = script.placement("mask:")!.fit
        let y = fit.cells.y + fit.cells.height / 2
        script.send(.mouse(MouseEvent(.press, x: fit.cells.x, y: y)))
        script.send(.mouse(MouseEvent(.drag, x: fit.cells.maxX - 1, y: y)))
        #expect(script.state.mask.strokeAt != nil)
        // A release outside the panel still ends the stroke.
        script.send(.mouse(MouseEvent(.release, x: 0, y: 0)))
        #expect(script.state.mask.strokeAt == nil)
        let row = Int((Double(y - fit.cells.y) + 0.5) / Double(fit.cells.height) * 64)
        let painted = (0..<64).filter { script.state.mask.grid[$0, row] == 1 }
        #expect(painted.count > 56, "a drag across the picture paints the whole row, got \(painted.count) cells")
        script.press("u")
        #expect(script.state.mask.grid.isEmpty)
    }

    @Test func maskFromTokenThresholdsItsCrossAttention() {
        var script = KeyScript(state: KeyScript.runnable())
        script.press("2", "j", "l", "l", "l", "l", "l")  // target token 5: "dog"
        #expect(script.state.prompts.token == TokenSelection(field: .target, index: 5))
        script.press("m")
        #expect(script.state.focus == .mask && script.state.mask.grid.isEmpty)
        #expect(script.state.settings.maskToken == 5)
        #expect(script.state.status?.text.contains("the run will derive the mask from token #5") == true)

        // A 16² map where token 5 lights up the left half.
        var values = [Float](repeating: 0, count: 16 * 16 * 77)
        for y in 0..<16 { for x in 0..<8 { values[(y * 16 + x) * 77 + 5] = 1 } }
        let runID = script.state.job.runID
        script.dispatch(.engine(runID: runID, .attentionMap(AttentionMap(kind: .cross, branch: .target, step: 0, resolution: 16, keyCount: 77, values: values))))
        script.press("t")
        #expect(script.state.mask.grid[0, 0] == 1 && script.state.mask.grid[31, 63] == 1 && script.state.mask.grid[32, 0] == 0)
        #expect(script.state.mask.grid.coverage == 0.5)
        // Clearing leaves no mask at all: the token no longer stands for one either.
        script.press("x")
        #expect(script.state.mask.grid.isEmpty && script.state.settings.maskToken == nil)
    }

    @Test func importAndExportGoThroughRealPNGFiles() throws {
        let directory = Fixtures.temporaryDirectory("mask-png")
        defer { try? FileManager.default.removeItem(at: directory) }
        let context = WorkbenchContext(theme: .monochrome, graphics: .halfblocks, screenRows: 36, tokenize: KeyScript.splitTokens)
        let core = try WorkbenchCore(
            state: KeyScript.runnable(), context: context, size: (120, 36), services: WorkbenchServices(pictures: .png),
            stateDirectory: StateDirectory(url: directory.appendingPathComponent("state")))
        // The walkthrough's mask: a disc of radius 116 px in 512², π·116²/512² = 16.1% of the picture.
        let sample = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/masks/red-circle.png")
        core.perform(.importMask(sample, width: 64, height: 64, fromSession: false))
        #expect(abs(core.state.mask.grid.coverage - 0.161) < 0.01, "coverage \(core.state.mask.grid.coverage)")
        #expect(core.state.mask.grid[32, 32] == 1 && core.state.mask.grid[2, 2] == 0)

        let out = directory.appendingPathComponent("exported/mask.png")
        core.perform(.exportMask(out, core.state.mask.grid, width: 512, height: 512))
        #expect(core.state.status?.text == "mask written to \(out.path)")
        let again = MaskGrid(picture: try PictureIO.png.load(out), width: 64, height: 64)
        #expect(again == core.state.mask.grid, "a mask survives export and import unchanged")

        core.perform(.importMask(directory.appendingPathComponent("missing.png"), width: 64, height: 64, fromSession: false))
        #expect(core.state.status?.isError == true && core.state.status?.text.hasPrefix("cannot read the mask") == true)
        #expect(again == core.state.mask.grid, "a failed import keeps the mask")
    }

    @Test func aSessionOfAnotherSizeBringsTheBrushToItsMiddle() {
        // A 256² session has a 32² mask: the brush (at 32,32 of the 64² grid) must land inside it.
        var script = KeyScript()
        var record = EditRecord(seed: 1, targetPrompt: "a dog")
        (record.width, record.height) = (256, 256)
        script.dispatch(.sessionLoaded(URL(fileURLWithPath: "/s/small.toml"), record))
        script.press("6", "space")
        #expect(script.state.mask.grid.width == 32 && script.state.mask.grid[16, 16] == 1)
    }

    @Test func maskFromTokenNeedsASourceOrTargetToken() {
        var script = KeyScript()
        script.press("6", "t")
        #expect(script.state.status?.isError == true)
        #expect(script.state.mask.grid.isEmpty)
    }

    @Test func importAndExportOpenPathDialogs() {
        var script = KeyScript()
        script.press("6", "I")
        #expect(script.state.overlay.map { if case .pathDialog(let d) = $0 { d.purpose == .importMask } else { false } } == true)
        script.type("m.png")
        script.press("enter")
        guard case .importMask(let url, 64, 64, false)? = script.takeEffects().last else {
            Issue.record("expected a mask import")
            return
        }
        #expect(url.lastPathComponent == "m.png")
        script.dispatch(.maskLoaded(MaskGrid(width: 8, height: 8, value: 1), fromSession: false))
        #expect(script.state.mask.grid.width == 64 && script.state.mask.grid.coverage == 1 && script.state.session.dirty)
        script.press("E", "enter")
        guard case .exportMask(_, _, 512, 512)? = script.takeEffects().last else {
            Issue.record("expected a mask export at the image size")
            return
        }
    }

    @Test func gridFollowsTheImageSize() {
        var script = KeyScript()
        script.press("6", "f")
        let rows = ParameterRow.rows(for: .masactrl)
        script.state.settings.width = 768
        #expect(rows.contains(.steps))
        script.dispatch(.adjustParameter(0, coarse: false))  // no change: grid untouched
        #expect(script.state.mask.grid.width == 64)
        var settings = script.state.settings
        settings.steps = 30
        script.dispatch(.selectParameter(rows.firstIndex(of: .steps)!))
        script.dispatch(.adjustParameter(-1, coarse: false))
        #expect(script.state.mask.grid.width == 96 && script.state.mask.grid.height == 64 && script.state.mask.grid.coverage == 1)
    }
}

@Suite struct MaskGridTests {
    @Test func stampIsARoundDab() {
        var grid = MaskGrid(width: 9, height: 9)
        grid.stamp(x: 4.5, y: 4.5, radius: 2, value: 1)
        let painted = grid.values.filter { $0 == 1 }.count
        #expect(painted == 13)  // cells whose centres are within 2 of the centre
        #expect(grid[4, 2] == 1 && grid[2, 2] == 0)
    }

    @Test func strokeLeavesNoGaps() {
        var grid = MaskGrid(width: 64, height: 8)
        grid.stroke(from: (0.5, 4), to: (63.5, 4), radius: 1, value: 1)
        #expect((0..<64).allSatisfy { grid[$0, 3] == 1 })
    }

    @Test func featherKeepsTheMassAndSoftensEdges() {
        var grid = MaskGrid(width: 32, height: 32)
        grid.stamp(x: 16, y: 16, radius: 6, value: 1)
        let soft = grid.feathered(radius: 2)
        let before = grid.values.reduce(0, +), after = soft.values.reduce(0, +)
        #expect(abs(before - after) / before < 0.01, "box blurs with clamped edges keep the sum (±1%)")
        #expect(soft.values.contains { $0 > 0.1 && $0 < 0.9 })
    }

    @Test func conversionsToAndFromPictures() {
        var grid = MaskGrid(width: 4, height: 4)
        grid[1, 2] = 1
        let picture = grid.picture(width: 8, height: 8)
        #expect(picture[2, 4] == RGB(255, 255, 255) && picture[3, 5] == RGB(255, 255, 255) && picture[0, 0] == RGB(0, 0, 0))
        #expect(MaskGrid(picture: picture, width: 4, height: 4) == grid)
    }
}
