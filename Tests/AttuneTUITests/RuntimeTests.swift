// The workbench core with a fake engine: keys are handled while a run goes on, parameter changes cancel and
// restart the run after a debounce, engine errors reach the status line; sessions, exports and autosave.
@testable import AttuneTUI
import AttuneEditing
import AttuneTestSupport
import Foundation
import Testing

@Suite struct RuntimeTests {
    private func makeCore(engine: (any WorkbenchEngine)?, directory: URL, autosaveDelay: Duration = .seconds(60)) throws -> WorkbenchCore {
        let context = WorkbenchContext(theme: .monochrome, graphics: .halfblocks, screenRows: 36, tokenize: KeyScript.splitTokens)
        return try WorkbenchCore(
            state: KeyScript.runnable(), context: context, size: (120, 36),
            services: WorkbenchServices(engine: engine, pictures: PPMPictures.io, attuneVersion: "test"),
            stateDirectory: StateDirectory(url: directory.appendingPathComponent("state")), autosaveDelay: autosaveDelay)
    }

    private func press(_ core: WorkbenchCore, _ names: String...) {
        for name in names { core.handle(.key(Key(name: name)!)) }
    }

    @Test func aKeyIsHandledWhileARunGoesOn() async throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine = SteppingEngine()
        let core = try makeCore(engine: engine, directory: directory)
        press(core, "ctrl-r")
        #expect(core.state.job.status == .scheduled)
        engine.allow(3)
        #expect(await waitUntil(core) { $0.state.job.step == 3 })
        #expect(core.state.job.status == .running && core.state.job.latent != nil)

        // The engine now waits for step 4; the keyboard still works at once.
        press(core, "3", "j", "l")
        #expect(core.state.focus == .parameters && core.state.settings.startStep == 5)
        #expect(core.state.job.status == .scheduled && core.state.job.runID == 2)
        press(core, "?")
        #expect(core.state.overlay == .help(scroll: 0))
        press(core, "esc")

        // The first run stops at its next cancellation check; the restart waits out the debounce.
        #expect(await waitUntil(core) { _ in engine.cancelled == 1 })
        engine.allow(1000)
        #expect(await waitUntil(core) { $0.state.job.status == .finished })
        #expect(core.state.job.result?[0, 0] == RGB(0, 5, 0), "the result comes from the restarted run (S = 5)")
        #expect(engine.seen.map(\.startStep) == [4, 5])
        await core.waitForRun()
    }

    /// On quit the run in progress is cancelled and waited for, so the process never exits while a product runs.
    @Test func stoppingARunCancelsItAndWaitsForItsEnd() async throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine = SteppingEngine()
        let core = try makeCore(engine: engine, directory: directory)
        press(core, "ctrl-r")
        engine.allow(2)
        #expect(await waitUntil(core) { $0.state.job.step == 2 })
        // stopRun blocks its caller, as the main thread does on quit: call it from a thread of its own.
        let ended = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: core.stopRun(within: 10)) }.start()
        }
        #expect(ended && engine.cancelled == 1)
    }

    @Test func quickChangesAreDebouncedIntoOneRestart() async throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine = SteppingEngine()
        let core = try makeCore(engine: engine, directory: directory)
        press(core, "ctrl-r", "3", "j", "l", "l", "l")
        engine.allow(1000)
        #expect(await waitUntil(core) { $0.state.job.status == .finished && $0.state.job.runID == 4 })
        let steps = engine.seen.map(\.startStep)
        #expect(steps.last == 7 && !steps.contains(5) && !steps.contains(6), "only the last change runs: \(steps)")
        #expect(core.state.job.result?[0, 0] == RGB(0, 7, 0))
        await core.waitForRun()
    }

    @Test func withoutAnEngineTheStatusLineSaysSo() throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let core = try makeCore(engine: nil, directory: directory)
        press(core, "f5")
        #expect(core.state.job.status == .failed("engine not available in this build"))
        #expect(core.state.status == StatusMessage(text: "engine not available in this build", isError: true))
        #expect(core.render().surface.lines[34].contains("failed: engine not available in this build"))
        // Nothing typed is lost: the prompts are still there.
        #expect(core.state.prompts.text(.target) == "a photo of a dog")
    }

    @Test func engineErrorsReachTheStatusLine() async throws {
        struct Broken: WorkbenchEngine {
            func run(_ record: EditRecord, events: @escaping @Sendable (EngineEvent) -> Void) async throws {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no UNet weights in model.safetensors"])
            }
        }
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let core = try makeCore(engine: Broken(), directory: directory)
        press(core, "ctrl-r")
        #expect(await waitUntil(core) { $0.state.status?.isError == true })
        #expect(core.state.status?.text == "no UNet weights in model.safetensors")
    }

    @Test func sessionSaveAndLoadKeepPromptsParametersAndMask() async throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = directory.appendingPathComponent("cat.png")
        try PPMPictures.io.save(Picture(width: 32, height: 32, color: RGB(9, 9, 9)), image)
        let core = try makeCore(engine: nil, directory: directory)
        core.dispatch(.browserEntries([image]))
        press(core, "enter", "6", "f", "3", "j", "l", "l", "ctrl-s")
        guard case .pathDialog(let dialog)? = core.state.overlay else {
            Issue.record("an unsaved session asks where to save")
            return
        }
        #expect(dialog.purpose == .saveSession)
        let sessionURL = directory.appendingPathComponent("edits/session.toml")
        press(core, "ctrl-u")
        for character in sessionURL.path { core.handle(.key(.character(character))) }
        press(core, "enter")
        #expect(core.state.status?.text == "saved \(sessionURL.path)")
        #expect(!core.state.session.dirty && core.state.session.path == sessionURL)

        let record = try EditRecord(contentsOf: sessionURL)
        #expect(record.startStep == 6 && record.targetPrompt == "a photo of a dog" && record.attuneVersion == "test")
        #expect(record.sourceImage == image && record.mask == directory.appendingPathComponent("edits/session.mask.png"))
        #expect(try String(contentsOf: sessionURL, encoding: .utf8).contains("path = \"session.mask.png\""))

        // A fresh workbench loads it from the recent files.
        let fresh = try makeCore(engine: nil, directory: directory)
        fresh.dispatch(.recentFiles(sessions: StateDirectory(url: directory.appendingPathComponent("state")).recent().sessions, images: []))
        press(fresh, "ctrl-o", "down", "enter")
        #expect(fresh.state.session.path == sessionURL && fresh.state.settings.startStep == 6)
        #expect(fresh.state.mask.grid.coverage == 1 && !fresh.state.session.dirty)
        #expect(await waitUntil(fresh) { $0.state.sourcePicture != nil })
        #expect(fresh.state.browser.chosen == image)
    }

    @Test func loadingABadSessionKeepsTheCurrentOne() throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.toml")
        try Data("[method]\nname = \"nope\"\n".utf8).write(to: bad)
        let core = try makeCore(engine: nil, directory: directory)
        core.perform(.loadSession(bad))
        #expect(core.state.status?.text == "\(bad.path): unknown method 'nope' in [method] name (allowed: masactrl, fpe, masafusion, mcactrl, p2p)")
        #expect(core.state.prompts.text(.target) == "a photo of a dog")
    }

    @Test func exportWritesTheResultAndItsRecord() async throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine = SteppingEngine()
        engine.allow(1000)
        let core = try makeCore(engine: engine, directory: directory)
        press(core, "ctrl-r")
        #expect(await waitUntil(core) { $0.state.job.status == .finished })
        press(core, "ctrl-e", "ctrl-u")
        let out = directory.appendingPathComponent("out/dog.png")
        for character in out.path { core.handle(.key(.character(character))) }
        press(core, "enter")
        #expect(core.state.status?.text == "exported \(out.path) and its record")
        #expect(try PPMPictures.io.load(out) == Picture(width: 16, height: 16, color: RGB(0, 4, 0)))
        let record = try EditRecord(contentsOf: directory.appendingPathComponent("out/dog.toml"))
        #expect(record.output == out && record.targetPrompt == "a photo of a dog")
        await core.waitForRun()
    }

    @Test func autosaveKeepsTheLastStateAndIsRestored() throws {
        let directory = Fixtures.temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: directory) }
        let core = try makeCore(engine: nil, directory: directory, autosaveDelay: .zero)
        press(core, "3", "j", "h", "6", "space")
        core.tick()
        let autosave = directory.appendingPathComponent("state/autosave.toml")
        #expect(FileManager.default.fileExists(atPath: autosave.path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("state/autosave.mask.png").path))

        let restored = try makeCore(engine: nil, directory: directory)
        restored.dispatch(.clearStatus)
        #expect(restored.restoreAutosave())
        #expect(restored.state.settings.startStep == 3 && restored.state.prompts.text(.source) == "a photo of a cat")
        #expect(restored.state.mask.grid[32, 32] == 1)
        #expect(restored.state.session.path == nil && !restored.state.session.dirty)
        #expect(restored.state.status?.text.hasPrefix("restored the last session") == true)
    }

    @Test func mailboxDeliversInOrderFromOtherThreads() async throws {
        let mailbox = try Mailbox()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for i in 0..<50 { mailbox.post(.moveBrowser(i)) } }
        }
        var descriptor = pollfd(fd: mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 1000) == 1, "posting wakes a poll()ing main loop")
        #expect(mailbox.drain() == (0..<50).map { .moveBrowser($0) })
        #expect(mailbox.drain().isEmpty)
        #expect(poll(&descriptor, 1, 0) == 0)
    }
}
