// What each method needs besides prompts and numbers: the variant row, MCA-Ctrl's subject picture and
// MaSaFusion's condition sketch (set from the Source panel with u and c, or typed as paths), the adapter
// weights, and the status line saying which input is missing and where to give it, before anything runs.
// Also the model a run records, and the helpers these screens rely on (word wrap, the standard error log).
@testable import AttuneTUI
import AttuneEditing
import AttuneTestSupport
import Foundation
import Testing

@Suite struct MethodInputsTests {
    private let pictures = ["/p/scene.png", "/p/dog.png", "/p/sketch.png"].map { URL(fileURLWithPath: $0) }

    /// A runnable state with `method`, focused on the parameters panel, with the Source list filled.
    private func script(_ method: EditMethod) -> KeyScript {
        var state = KeyScript.runnable()
        state.settings.method = method
        var script = KeyScript(state: state, width: 160, height: 40)
        script.dispatch(.browserEntries(pictures))
        script.press("enter")
        _ = script.takeEffects()
        return script
    }

    private func selectRow(_ script: inout KeyScript, _ row: ParameterRow) {
        script.dispatch(.selectParameter(script.state.parameterRows.firstIndex(of: row) ?? 0))
    }

    @Test func mcaCtrlAsksForItsSubjectPictureThenItsRegion() {
        var script = script(.mcactrl)
        script.press("ctrl-r")
        #expect(script.state.status?.text == "cannot run: MCA-Ctrl takes its subject from a picture: select it in 1 Source and press u")
        #expect(script.takeEffects().isEmpty && script.state.prompts.text(.target) == "a photo of a dog", "nothing typed is lost")

        // u on the second picture makes it the subject; the list marks it and the parameter row names it.
        script.press("1", "j", "u")
        #expect(script.state.settings.subjectImage == pictures[1])
        #expect(script.state.status?.text == "subject picture: dog.png (MCA-Ctrl's [subject] image)")
        #expect(script.panelText(.source).contains("dog.png [subject]"))
        #expect(script.panelText(.parameters).contains("subject image dog.png"))

        // Replacement needs the edit region: drawn in the mask editor, it lets the run start.
        script.press("ctrl-r")
        #expect(script.state.status?.text == "cannot run: MCA-Ctrl replaces inside a region: draw it in 6 Mask editor (or variant generate in 3)")
        script.press("6", "space", "ctrl-r")
        guard case .startRun(let record, let mask?, _, _)? = script.takeEffects().last else {
            Issue.record("the run starts with the drawn mask")
            return
        }
        #expect(record.subjectImage == pictures[1] && !mask.isEmpty)

        // u again on the same picture clears it.
        script.press("1", "u")
        #expect(script.state.settings.subjectImage == nil && script.state.status?.text == "no subject picture now")
    }

    @Test func mcaCtrlGenerationNeedsATargetToken() {
        var script = script(.mcactrl)
        script.press("1", "j", "u", "3")
        selectRow(&script, .variant)
        #expect(script.panelText(.parameters).contains("variant replace (default)"))
        script.press("right", "right", "right")
        #expect(script.state.settings.variant == "generate")
        script.press("ctrl-r")
        #expect(script.state.status?.text.hasPrefix("cannot run: MCA-Ctrl generation places the subject by a target token") == true)
        script.press("right")
        #expect(script.state.settings.variant == nil, "the variant row wraps round to the default")
    }

    @Test func maSaFusionRunsWithADrawnMaskOrSaysWhereToGetOne() {
        var script = script(.masafusion)
        script.press("ctrl-r")
        #expect(script.state.status?.text == "cannot run: MaSaFusion edits inside a mask: draw one in 6 Mask editor, or pick a token (2) and press t there")
        #expect(script.takeEffects().isEmpty)
        // A drawn mask is enough: the run writes it to a file when it starts.
        script.press("6", "space", "ctrl-r")
        guard case .startRun(let record, let mask?, _, false)? = script.takeEffects().last else {
            Issue.record("a drawn mask lets MaSaFusion run")
            return
        }
        #expect(record.method == .masafusion && record.mask == nil && mask.coverage > 0)
    }

    @Test func theConditionSketchNeedsAdapterWeightsTypedAsAPath() {
        var script = script(.masafusion)
        script.press("6", "space", "1", "j", "j", "c")
        #expect(script.state.settings.condition == pictures[2])
        #expect(script.panelText(.source).contains("sketch.png [condition]"))
        script.press("ctrl-r")
        #expect(script.state.status?.text == "cannot run: a condition picture needs T2I-Adapter weights: type its path on the adapter weights row of 3 (Enter)")

        script.press("3")
        selectRow(&script, .adapter)
        #expect(script.panelText(.parameters).contains("adapter weights none: Enter types a path"))
        script.press("enter")
        script.type("/models/t2i-sketch")
        script.press("enter")
        #expect(script.state.settings.adapter == URL(fileURLWithPath: "/models/t2i-sketch"))
        #expect(script.panelText(.parameters).contains("adapter weights t2i-sketch"))
        script.press("ctrl-r")
        guard case .startRun(let record, _, _, _)? = script.takeEffects().last else {
            Issue.record("with weights and a sketch the run starts")
            return
        }
        #expect(record.adapter?.path == "/models/t2i-sketch" && record.condition == pictures[2])
        // Backspace on the row clears it again.
        script.press("backspace")
        #expect(script.state.settings.adapter == nil)
    }

    @Test func fusionStepsAreBoundedByTheStepCount() {
        var script = script(.masafusion)
        script.press("3")
        selectRow(&script, .fusionSteps)
        #expect(script.panelText(.parameters).contains("fusion steps 50 (default)"))
        script.press("left", "left")
        #expect(script.state.settings.fusionSteps == 48)
        script.press("enter", "ctrl-u")
        script.type("70")
        script.press("enter")
        #expect(script.state.status?.text == "fusion steps: '70' is not valid (expected a number in 0...50)")
        selectRow(&script, .steps)
        script.press("enter", "ctrl-u")
        script.type("20")
        script.press("enter")
        #expect(script.state.settings.fusionSteps == 20, "fewer steps pull the fusion interval in")
    }

    @Test func theRecordCarriesTheCommandLinesModelOverTheSessionsAndTheConfiguredOne() {
        var state = AppState()
        let session = URL(fileURLWithPath: "/m/session-model"), configured = URL(fileURLWithPath: "/m/config-model")
        state.configuredModel = configured
        #expect(state.record.model == configured)
        state.settings.model = session
        #expect(state.record.model == session)
        state.commandLineModel = URL(fileURLWithPath: "/m/tiny-sd/diffusers")
        #expect(state.record.model?.path == "/m/tiny-sd/diffusers")
    }

    @Test func wrappedTextBreaksBetweenWordsAndStopsAtTheRectangle() {
        var surface = Surface(width: 12, height: 3)
        let rows = surface.putWrapped("no 16² maps in this run; it has 8²", in: Rect(x: 1, y: 0, width: 10, height: 2), style: .plain)
        #expect(rows == 2)
        #expect(surface.lines == [" no 16²     ", " maps in    ", "            "])
    }

    @Test func standardErrorGoesToTheLogUntilRestored() throws {
        let directory = Fixtures.temporaryDirectory("stderr-log")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("state/workbench.log")
        let log = try StandardErrorLog(redirectingTo: url)
        FileHandle.standardError.write(Data("loaded a model in 0.3 s\n".utf8))
        log.restore()
        log.restore()
        #expect(try String(contentsOf: url, encoding: .utf8) == "loaded a model in 0.3 s\n")
        // A second workbench run starts its log afresh.
        let again = try StandardErrorLog(redirectingTo: url)
        again.restore()
        #expect(try String(contentsOf: url, encoding: .utf8).isEmpty)
    }
}
