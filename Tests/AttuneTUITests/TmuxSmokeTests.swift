// End to end: the built `attune` binary in a detached tmux session (TERM=tmux-256color, LANG=C.UTF-8),
// driven with send-keys and read with capture-pane, on the tiny fixture model: pick a picture, type prompts,
// move S, open and close the help, run the edit to the end with the screen intact (nothing written past the
// last row scrolls it), save the session, open the help and cancel while a longer run goes, resize the window
// mid-run, and quit through the unsaved-work confirmation.
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct TmuxSmokeTests {
    static let tmux: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `swift test` runs the test bundle from the build directory (.build/<triple>/debug/AttunePackageTests.xctest
    /// on Linux), and `swift build --build-tests` puts the `attune` executable beside it.
    static let binary: URL? = {
        guard let test = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: test).deletingLastPathComponent().appendingPathComponent("attune")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    /// Runs tmux on a private server socket and returns its standard output.
    private func tmux(_ socket: String, _ arguments: [String], startsServer: Bool = false) throws -> String {
        try Subprocess.run([Self.tmux ?? "/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments, capture: !startsServer)
    }

    /// Polls capture-pane until `text` shows (or, with `absent`, is gone), 30 s at most (a loaded machine is slow to
    /// cancel a run on quit); returns the last capture.
    private func waitFor(_ text: String, _ socket: String, absent: Bool = false) async throws -> (found: Bool, screen: String) {
        try await waitUntil(socket) { $0.contains(text) != absent }
    }

    /// Polls capture-pane until the screen satisfies `condition`, 30 s at most; returns the last capture. A miss
    /// is also printed, since a failed expectation's message may not reach the log of a parallel run.
    private func waitUntil(_ socket: String, _ condition: (String) -> Bool) async throws -> (found: Bool, screen: String) {
        var screen = ""
        for _ in 0..<600 {
            screen = try tmux(socket, ["capture-pane", "-p", "-t", "t"])
            if condition(screen) { return (true, screen) }
            try await Task.sleep(for: .milliseconds(50))
        }
        print("TmuxSmokeTests: the screen did not become what was expected within 30 s:\n\(screen)")
        return (false, screen)
    }

    /// The screen's rows (capture-pane drops trailing blanks; the row count is the pane's height).
    private func rows(_ socket: String) throws -> [String] {
        try tmux(socket, ["capture-pane", "-p", "-t", "t"]).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The layout's frame is where it belongs: panel titles on the first row, their bottom borders above the
    /// progress row, the status line (with the session name) on the last row of a `height`-row screen.
    private func frameIsIntact(_ rows: [String], height: Int) -> Bool {
        rows.count == height && rows[0].hasPrefix("┌ 1 Source") && rows[0].hasSuffix("┐") && rows[height - 3].hasPrefix("└")
            && rows[height - 3].hasSuffix("┘") && rows[height - 1].contains("session.toml")
    }

    private func keys(_ socket: String, _ keys: String...) throws { _ = try tmux(socket, ["send-keys", "-t", "t"] + keys) }
    private func type(_ socket: String, _ text: String) throws { _ = try tmux(socket, ["send-keys", "-t", "t", "-l", text]) }

    /// Stops a test's tmux server and removes its socket and the scratch directory.
    private func cleanUp(_ socket: String, _ directory: URL) {
        _ = try? tmux(socket, ["kill-server"])
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: "\(ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp")/tmux-\(getuid())/\(socket)")
    }

    /// Starts `attune arguments` in `workingDirectory` in a detached 120x36 tmux session, with its config and state
    /// under `directory`; standard error is left on the terminal, as a user's would be.
    private func launch(_ socket: String, _ binary: URL, in workingDirectory: URL, state directory: URL, _ arguments: String) throws {
        let command = """
            cd '\(workingDirectory.path)' && env TERM=tmux-256color LANG=C.UTF-8 XDG_CONFIG_HOME='\(directory.path)/config' \
            XDG_STATE_HOME='\(directory.path)/state' '\(binary.path)' --graphics halfblocks \(arguments); \
            echo "attune exited with $?"; sleep 30
            """
        _ = try tmux(socket, ["new-session", "-d", "-s", "t", "-x", "120", "-y", "36", command], startsServer: true)
    }

    @Test(
        .timeLimit(.minutes(3)),
        .enabled(if: tmux != nil, "tmux is not installed: skipping the end-to-end workbench test"),
        .enabled(if: binary != nil, "the attune binary is not built next to the tests (run `swift build --build-tests`)"))
    func workbenchFlowInTmux() async throws {
        let binary = try #require(Self.binary)
        let directory = Fixtures.temporaryDirectory("tmux")
        let socket = "attune-test-\(UUID().uuidString.prefix(8))"
        defer { cleanUp(socket, directory) }
        let samples = directory.appendingPathComponent("Samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url("images/rgb8.png"), to: samples.appendingPathComponent("cat.png"))
        // A session with small sizes so that the tiny model's edit takes a moment.
        let session = directory.appendingPathComponent("session.toml")
        try Data("""
            [method]
            name = "masactrl"
            [source]
            seed = 1
            [sampling]
            steps = 6
            width = 64
            height = 64
            """.utf8).write(to: session)
        let model = Fixtures.url("tiny-sd/diffusers")
        try launch(socket, binary, in: directory, state: directory, "--model '\(model.path)' --session '\(session.path)'")

        var (found, screen) = try await waitFor("1 Source · 1 pictures", socket)
        #expect(found, "the workbench starts and lists Samples/: \(screen)")

        // Pick the picture.
        try keys(socket, "Enter")
        (found, screen) = try await waitFor("● Samples/cat.png", socket)
        #expect(found, "\(screen)")

        // Type both prompts.
        try keys(socket, "2", "Enter")
        try type(socket, "a photo of a cat")
        try keys(socket, "Enter", "j", "Enter")
        try type(socket, "a photo of a dog")
        try keys(socket, "Escape")
        (found, screen) = try await waitUntil(socket) { $0.contains("target    a photo of a dog") && $0.contains("source    a photo of a cat") }
        #expect(found, "\(screen)")

        // Move S from 4 to 2.
        try keys(socket, "3", "j", "h", "h")
        (found, screen) = try await waitFor("S start step     2", socket)
        #expect(found, "\(screen)")

        // The help overlay opens and closes.
        try keys(socket, "?")
        // Both conditions in one wait: a capture can catch curses half-way through repainting the screen.
        (found, screen) = try await waitUntil(socket) { $0.contains("Keys — Esc closes") && $0.contains("edit this picture") }
        #expect(found, "\(screen)")
        try keys(socket, "Escape")
        (found, screen) = try await waitUntil(socket) { !$0.contains("Keys — Esc closes") && $0.contains("S start step     2") }
        #expect(found, "\(screen)")

        // Run the edit on the tiny model to its end. The model loader's message on standard error goes to the
        // log, not over the screen: the frame, the preview's caption and its border are where they were.
        try keys(socket, "C-r")
        (found, screen) = try await waitFor("6/6", socket)
        (found, screen) = found ? try await waitFor("· done", socket) : (found, screen)
        #expect(found, "\(screen)")
        (found, screen) = try await waitFor("result  64×64", socket)
        var intact = frameIsIntact(try rows(socket), height: 36)
        #expect(found && intact, "\(screen)")
        let log = try String(contentsOf: directory.appendingPathComponent("state/attune/workbench.log"), encoding: .utf8)
        #expect(log.contains("loaded diffusers folder") && !screen.contains("loaded diffusers folder"), "\(log)")

        // Save the session: the record holds what was typed and chosen, and the model it ran on.
        try keys(socket, "C-s")
        (found, screen) = try await waitFor("session.toml *", socket, absent: true)
        let saved = try String(contentsOf: session, encoding: .utf8)
        #expect(found && saved.contains("start_step = 2") && saved.contains("target = \"a photo of a dog\"") && saved.contains("cat.png"), "\(saved)")
        #expect(saved.contains("tiny-sd/diffusers"), "\(saved)")

        // 500 steps (live: the change starts a run): keys are handled while it goes, and C-c cancels it.
        try keys(socket, "3", "j", "j", "Enter", "C-u")
        try type(socket, "500")
        try keys(socket, "Enter")
        (found, screen) = try await waitFor("inverting source", socket)
        #expect(found, "\(screen)")
        try keys(socket, "?")
        // The progress row shows "/500" once the first step is reported, which a loaded machine may take a while to do.
        (found, screen) = try await waitUntil(socket) { $0.contains("Keys — Esc closes") && $0.contains("/500") }
        #expect(found, "the help opens while the run goes: \(screen)")
        try keys(socket, "Escape", "C-c")
        (found, screen) = try await waitUntil(socket) { $0.contains("· cancelled") && $0.contains("run cancelled") }
        #expect(found, "\(screen)")

        // A resize in the middle of a run lays the screen out again at once (no key pressed) and the run goes on.
        try keys(socket, "C-r")
        (found, screen) = try await waitFor("inverting source", socket)
        _ = try tmux(socket, ["resize-window", "-t", "t", "-x", "100", "-y", "30"])
        (found, screen) = try await waitUntil(socket) { screen in
            let current = screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            return frameIsIntact(current, height: 30) && current[0].count == 100
        }
        #expect(found, "\(screen)")
        (found, screen) = try await waitFor("500/500", socket)
        intact = frameIsIntact(try rows(socket), height: 30)
        #expect(found && intact, "\(screen)")

        // Quitting with unsaved work asks first; "n" stays, "y" quits.
        try keys(socket, "q")
        (found, screen) = try await waitFor("Unsaved changes", socket)
        #expect(found, "\(screen)")
        try keys(socket, "n")
        (found, screen) = try await waitFor("Unsaved changes", socket, absent: true)
        #expect(found, "\(screen)")
        try keys(socket, "q", "y")
        (found, screen) = try await waitFor("attune exited with 0", socket)
        #expect(found, "\(screen)")
        // The last state was autosaved on the way out.
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("state/attune/autosave.toml").path))
    }

    /// What `make run` does: the workbench from the repository root on the demo session, with the embedded model
    /// (no --model). The demo edit runs to its end and shows a result at the model's own size.
    @Test(
        .timeLimit(.minutes(3)),
        .enabled(if: tmux != nil, "tmux is not installed: skipping the end-to-end workbench test"),
        .enabled(if: binary != nil, "the attune binary is not built next to the tests (run `swift build --build-tests`)"))
    func demoSessionRunsOnTheEmbeddedModel() async throws {
        let binary = try #require(Self.binary)
        let directory = Fixtures.temporaryDirectory("tmux-demo")
        let socket = "attune-test-\(UUID().uuidString.prefix(8))"
        defer { cleanUp(socket, directory) }
        let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        try launch(socket, binary, in: root, state: directory, "--session Samples/demo.toml")
        var (found, screen) = try await waitFor("black-figure.png", socket)
        #expect(found && screen.contains("7:raised"), "the demo session is loaded, its target prompt tokenised: \(screen)")
        try keys(socket, "C-r")
        (found, screen) = try await waitFor("20/20", socket)
        (found, screen) = found ? try await waitFor("· done", socket) : (found, screen)
        #expect(found, "\(screen)")
        (found, screen) = try await waitFor("result  128×128", socket)
        #expect(found, "\(screen)")
        let log = try String(contentsOf: directory.appendingPathComponent("state/attune/workbench.log"), encoding: .utf8)
        #expect(log.contains("attune-micro-sd.safetensors"), "the embedded model ran: \(log)")
        try keys(socket, "q")
        (found, screen) = try await waitFor("attune exited with 0", socket)
        #expect(found, "nothing unsaved after a run of a loaded session: \(screen)")
    }
}
