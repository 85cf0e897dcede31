// Keys that work everywhere: focus, help, zoom, run/cancel, save, quit with its confirmation.
@testable import AttuneTUI
import AttuneEditing
import Foundation
import Testing

@Suite struct GlobalKeysTests {
    @Test func tabShiftTabAndDigitsMoveFocus() {
        var script = KeyScript()
        #expect(script.state.focus == .source)
        script.press("tab")
        #expect(script.state.focus == .prompts)
        script.press("shift-tab", "shift-tab")
        #expect(script.state.focus == .mask)
        for panel in PanelID.allCases {
            script.press(String(panel.rawValue))
            #expect(script.state.focus == panel)
        }
    }

    @Test func helpOverlayOpensScrollsAndCloses() {
        var script = KeyScript()
        script.press("?")
        #expect(script.state.overlay == .help(scroll: 0))
        #expect(script.screen.contains { $0.contains("Keys — Esc closes") })
        #expect(script.screen.contains { $0.contains("pick the next token") || $0.contains("this help") })
        script.press("j", "j", "k")
        #expect(script.state.overlay == .help(scroll: 1))
        script.press("q")  // closes the help, does not quit
        #expect(script.state.overlay == nil && !script.state.quit)
        script.press("f1", "esc")
        #expect(script.state.overlay == nil)
    }

    @Test func quitWithoutChangesExitsAtOnce() {
        var script = KeyScript()
        script.press("q")
        #expect(script.state.quit)
        #expect(script.takeEffects() == [.cancelRun, .quit])
    }

    @Test func quitWithUnsavedWorkAsksFirst() {
        var script = KeyScript()
        script.press("3", "l")
        #expect(script.state.session.dirty)
        script.press("q")
        #expect(script.state.overlay == .confirmQuit && !script.state.quit)
        #expect(script.screen.contains { $0.contains("Unsaved changes") })
        script.press("n")
        #expect(script.state.overlay == nil && !script.state.quit)
        script.press("q", "y")
        #expect(script.state.quit)
    }

    @Test func saveAndQuitSavesThenQuits() {
        var script = KeyScript()
        script.state.session.path = URL(fileURLWithPath: "/tmp/s.toml")
        script.press("3", "j", "l", "q", "s")
        let effects = script.takeEffects()
        guard case .saveSession(let url, let record, nil)? = effects.last else {
            Issue.record("expected a save, got \(effects)")
            return
        }
        #expect(url.path == "/tmp/s.toml" && record.startStep == 5)
        #expect(!script.state.quit)
        script.dispatch(.sessionSaved(url))
        #expect(script.state.quit && !script.state.session.dirty)
    }

    @Test func saveWithoutPathAsksForOneAndAFailedSaveKeepsTheWorkbenchOpen() {
        var script = KeyScript()
        script.press("ctrl-s")
        guard case .pathDialog(let dialog)? = script.state.overlay else {
            Issue.record("expected the save dialog")
            return
        }
        #expect(dialog.purpose == .saveSession && dialog.field.text == "session.toml")
        script.press("esc", "3", "l", "q", "s")
        script.press("ctrl-u")
        script.type("/tmp/x.toml")
        script.press("enter")
        script.dispatch(.saveFailed("disk full"))
        #expect(!script.state.quit && !script.state.quitAfterSave)
        #expect(script.state.status == StatusMessage(text: "not saved: disk full", isError: true))
    }

    @Test func runValidatesThenStartsAndCancelStops() {
        var script = KeyScript()
        script.press("ctrl-r")
        #expect(script.state.status?.isError == true)
        #expect(script.state.status?.text == "cannot run: no target prompt: type it in 2 Prompts (j to the target row, Enter)")
        #expect(script.takeEffects().isEmpty)

        script = KeyScript(state: KeyScript.runnable())
        script.press("f5")
        let effects = script.takeEffects()
        guard case .startRun(let record, nil, let runID, false)? = effects.first else {
            Issue.record("expected an immediate run, got \(effects)")
            return
        }
        #expect(record.targetPrompt == "a photo of a dog" && runID == 1)
        #expect(script.state.job.status == .scheduled && script.state.job.isBusy)
        script.press("ctrl-c")
        #expect(script.takeEffects() == [.cancelRun])
        #expect(script.state.job.status == .cancelled && script.state.job.runID == 2)
    }

    @Test func zoomGivesTheFocusedPanelTheScreen() {
        var script = KeyScript()
        script.press("4", "ctrl-f")
        #expect(script.layout.panels[.preview] == Rect(x: 0, y: 0, width: 120, height: 34))
        #expect(script.layout.panels[.source]?.isEmpty == true)
        script.press("ctrl-f")
        #expect(script.layout.panels[.source]?.isEmpty == false)
    }

    @Test func statusLineShowsTheFocusedPanelsHints() {
        var script = KeyScript()
        script.press("6")
        let status = script.screen[35]
        #expect(status.contains("Space paint"), "\(status)")
        #expect(status.contains("unsaved session"))
    }
}
