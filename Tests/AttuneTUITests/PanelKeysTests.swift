// Each panel's keys, fed through the compositor into the reducer: Source, Prompts, Method & parameters,
// Preview and the attention inspector (the mask editor has its own suite).
@testable import AttuneTUI
import AttuneEditing
import Foundation
import Testing

@Suite struct PanelKeysTests {
    private let pictures = ["/p/a.png", "/p/b.png", "/p/c.png"].map { URL(fileURLWithPath: $0) }

    @Test func sourceListMovesChoosesAndShowsThePicture() {
        var script = KeyScript()
        script.dispatch(.browserEntries(pictures))
        script.press("j", "j", "j", "k")
        #expect(script.state.browser.selection == 1)
        script.press("enter")
        #expect(script.state.browser.chosen == pictures[1])
        #expect(script.takeEffects() == [.loadPicture(pictures[1]), .rememberRecent(pictures[1], isSession: false)])
        script.dispatch(.pictureLoaded(pictures[1], Picture(width: 8, height: 8, color: RGB(1, 2, 3))))
        #expect(script.state.sourcePicture?.width == 8)
        #expect(script.screen.contains { $0.contains("● b.png") })
        script.press("R")
        #expect(script.takeEffects() == [.scanSources([])])
    }

    @Test func sourceClickChoosesThePictureUnderThePointer() {
        var script = KeyScript()
        script.dispatch(.browserEntries(pictures))
        let list = script.layout.panels[.source]!.inset(1)
        script.send(.mouse(MouseEvent(.press, x: list.x + 2, y: list.y + 2)))
        #expect(script.state.browser.chosen == pictures[2])
    }

    @Test func promptEditingWithCursorKeysAndHistory() {
        var script = KeyScript()
        script.press("2", "enter")
        #expect(script.state.prompts.editing && script.state.focus == .prompts)
        script.type("a photo of a cat")
        script.press("left", "left", "left", "backspace")
        script.type("X")
        #expect(script.state.prompts.text(.source) == "a photo of aXcat")
        script.press("home", "delete", "end", "ctrl-w")
        #expect(script.state.prompts.text(.source) == " photo of ")
        script.press("ctrl-u")
        script.type("q r s")
        script.press("enter")
        #expect(!script.state.prompts.editing && script.state.prompts.text(.source) == "q r s")
        script.press("enter", "ctrl-u", "up")
        #expect(script.state.prompts.text(.source) == "q r s")
        script.press("down", "esc")
        #expect(script.state.prompts.text(.source) == "")
        // Printable keys are text while editing: "q" does not quit and "?" does not open the help.
        script.press("i")
        script.type("q?")
        #expect(!script.state.quit && script.state.overlay == nil && script.state.prompts.text(.source) == "q?")
    }

    @Test func promptSelectionAndTokenPicking() {
        var script = KeyScript(state: KeyScript.runnable(), width: 200)
        script.press("2", "j")
        #expect(script.state.prompts.selected == .target)
        script.press("l")
        #expect(script.state.prompts.token == TokenSelection(field: .target, index: 1))
        script.press("l", "l", "l", "l", "l", "l", "l")
        #expect(script.state.prompts.token?.index == 6)  // <bos> a photo of a dog <eos>: clamped at the last
        script.press("h")
        #expect(script.state.prompts.token?.index == 5)
        #expect(script.screen.contains { $0.contains("1:a 2:photo 3:of 4:a 5:dog") })
        script.press("x")
        #expect(script.state.prompts.token == nil)
        script.press("k", "k")
        #expect(script.state.prompts.selected == .source)
    }

    @Test func subjectPromptOnlyForMCACtrl() {
        var script = KeyScript()
        #expect(script.state.promptFields == [.source, .target, .negative])
        script.state.settings.method = .mcactrl
        #expect(script.state.promptFields == [.source, .target, .subject, .negative])
        #expect(script.screen.contains { $0.contains("condition") })
    }

    @Test func startStepAndLayerStayWithinTheirBounds() {
        var script = KeyScript()
        script.press("3", "j")
        for _ in 0..<60 { script.press("l") }
        #expect(script.state.settings.startStep == 50)
        for _ in 0..<60 { script.press("h") }
        #expect(script.state.settings.startStep == 0)
        script.press("L")
        #expect(script.state.settings.startStep == 5)
        script.press("j")
        for _ in 0..<20 { script.press("l") }
        #expect(script.state.settings.startLayer == 16)
        for _ in 0..<20 { script.press("shift-left") }
        #expect(script.state.settings.startLayer == 0)
    }

    /// A loaded session may hold S past its own step count (the record's S is 4, its steps 3): the slider is
    /// drawn at its end, not from a negative length.
    @Test func sessionWithSPastItsStepsDraws() {
        var record = EditRecord(seed: 1)
        record.steps = 3
        record.startStep = 4
        var state = AppState()
        state.apply(record)
        let script = KeyScript(state: state)
        let row = script.screen.first { $0.contains("S start step") } ?? ""
        #expect(row.contains("4") && row.contains("━━━●") && row.contains(" 3"), "\(row)")
    }

    @Test func fewerStepsPullSDown() {
        var script = KeyScript()
        script.press("3", "j")
        for _ in 0..<40 { script.press("l") }
        #expect(script.state.settings.startStep == 44)
        script.press("j", "j", "enter")
        script.press("ctrl-u")
        script.type("20")
        script.press("enter")
        #expect(script.state.settings.steps == 20 && script.state.settings.startStep == 20)
    }

    @Test func typedValuesAreCheckedAgainstTheRowsBounds() {
        var script = KeyScript()
        script.press("3", "j", "enter")
        #expect(script.state.numericEntry?.text == "4")
        script.press("ctrl-u")
        script.type("99")
        script.press("enter")
        #expect(script.state.settings.startStep == 4 && script.state.numericEntry != nil)
        #expect(script.state.status?.text == "S start step: '99' is not valid (expected a number in 0...50)")
        script.press("ctrl-u")
        script.type("12")
        script.press("enter")
        #expect(script.state.settings.startStep == 12 && script.state.numericEntry == nil)
        script.press("=", "esc")
        #expect(script.state.numericEntry == nil && script.state.settings.startStep == 12)
        script.press("backspace")
        #expect(script.state.settings.startStep == 4)
    }

    @Test func methodPickerChangesTheMethodsOwnRows() {
        var script = KeyScript()
        script.press("3")
        #expect(script.state.parameterRows.suffix(2) == [.endStep, .endLayer])
        script.press("m")
        #expect(script.state.settings.method == .fpe && script.state.parameterRows.last == .selfReplaceFraction)
        script.press("m", "m")
        #expect(script.state.settings.method == .mcactrl)
        #expect(script.state.parameterRows.contains(.sagiEnd) && script.state.parameterRows.contains(.salqStart))
        #expect(script.state.settings.startLayer == 0, "MCA-Ctrl generating from a seed: SALQ from block 0")
        script.press("m")
        #expect(script.state.settings.method == .p2p && script.state.parameterRows.contains(.p2pMode))
        #expect(script.state.settings.crossReplaceFraction == 0.8 && script.state.settings.selfReplaceFraction == 0.4,
                "Prompt-to-Prompt's own replacement fractions")
        let p2pRow = script.state.parameterRows.firstIndex(of: .p2pMode)!
        script.dispatch(.selectParameter(p2pRow))
        script.press("l")
        #expect(script.state.settings.p2pMode == .refine)
        script.press("m")
        #expect(script.state.settings.method == .masactrl)
        #expect(script.state.settings.startLayer == 10 && script.state.settings.selfReplaceFraction == 0.8)
        #expect(script.state.parameterRow < script.state.parameterRows.count)
    }

    @Test func seedGuidanceThresholdAndLive() {
        var script = KeyScript()
        script.press("3", "r")
        #expect(script.state.settings.seed != nil)
        script.dispatch(.selectParameter(ParameterRow.rows(for: .masactrl).firstIndex(of: .guidance)!))
        script.press("l", "L")
        #expect(script.state.settings.guidance == 10.5)
        script.dispatch(.selectParameter(ParameterRow.rows(for: .masactrl).firstIndex(of: .maskThreshold)!))
        for _ in 0..<30 { script.press("l") }
        #expect(script.state.settings.maskThreshold == 1)
        script.press("a")
        #expect(!script.state.live)
    }

    @Test func liveChangesRestartTheRunAfterADebounce() {
        var script = KeyScript(state: KeyScript.runnable())
        script.press("3", "j", "l")
        #expect(script.takeEffects().isEmpty)  // nothing has run yet
        script.press("ctrl-r")
        _ = script.takeEffects()
        script.press("l")
        guard case .startRun(let record, _, let runID, true)? = script.takeEffects().first else {
            Issue.record("a changed parameter should restart the run, debounced")
            return
        }
        #expect(record.startStep == 6 && runID == 2)
        script.press("a", "l")
        #expect(script.takeEffects().isEmpty)
    }

    @Test func previewModesAndWipe() {
        var script = KeyScript()
        script.press("4")
        for (key, mode) in [("t", PreviewMode.latent), ("r", .result), ("c", .compare), ("w", .wipe), ("s", .source)] {
            script.press(key)
            #expect(script.state.preview.mode == mode)
        }
        script.press("w")
        for _ in 0..<20 { script.press("l") }
        #expect(script.state.preview.wipe == 1)
        script.press("h", "h")
        #expect(abs(script.state.preview.wipe - 0.9) < 1e-9)
        #expect(script.screen.contains { $0.contains("needs a source picture and a result") })
    }

    @Test func inspectorChoosesKindResolutionStepPixelAndToken() {
        var script = KeyScript(state: KeyScript.runnable(), width: 200)
        script.press("5", "a")
        #expect(script.state.inspector.kind == .self)
        script.press("a", "+", "+", "+")
        #expect(script.state.inspector.kind == .cross && script.state.inspector.resolution == 64)
        script.press("-", "-", "-", "-")
        #expect(script.state.inspector.resolution == 8)
        script.press(".", ".", ".")
        #expect(script.state.inspector.step == 2)
        script.press(",", ",", ",", ",")
        #expect(script.state.inspector.step == nil)
        script.press("right", "down", "down")
        #expect(abs(script.state.inspector.pixel.x - 0.625) < 1e-9 && abs(script.state.inspector.pixel.y - 0.75) < 1e-9)
        script.press("n")
        #expect(script.state.prompts.token == TokenSelection(field: .target, index: 1))
        script.press("n", "p", "n")
        #expect(script.state.prompts.token?.index == 2)
        #expect(script.screen.contains { $0.contains("cross · #2 'photo' target") })
    }
}
