// `attune` with no arguments: reads settings, keymap and theme, asks the terminal what it can show, starts
// curses and runs the main loop: it owns the main thread and sleeps in poll() on the keyboard and the
// mailbox's pipe, so a key is handled at once even while a diffusion run goes on in the background.
import AttuneModels
import AttuneTOML
import Foundation

public struct WorkbenchOptions: Sendable {
    public var model: URL?
    public var theme: String?
    public var graphics: GraphicsMode?
    public var session: URL?
    public var directories: [URL]
    /// The model runs use when neither --model nor the settings name one (the embedded model).
    public var defaultModel: URL?
    public var environment: [String: String]

    public init(
        model: URL? = nil, theme: String? = nil, graphics: GraphicsMode? = nil, session: URL? = nil, directories: [URL] = [],
        defaultModel: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.model = model
        self.theme = theme
        self.graphics = graphics
        self.session = session
        self.directories = directories
        self.defaultModel = defaultModel
        self.environment = environment
    }
}

public enum WorkbenchError: Error, LocalizedError {
    case notATerminal
    public var errorDescription: String? {
        "the workbench needs a terminal on standard input and output (for scripts, use the subcommands)"
    }
}

public enum WorkbenchApp {
    /// Set from SIGTERM/SIGHUP; the loop then saves and restores the terminal.
    nonisolated(unsafe) static var terminationRequested: sig_atomic_t = 0

    public static func run(options: WorkbenchOptions, services: WorkbenchServices) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw WorkbenchError.notATerminal }
        let environment = options.environment
        let configDirectory = XDGPaths.configDirectory(environment: environment)
        var (settings, warnings) = WorkbenchSettings.load(from: configDirectory.appendingPathComponent("config.toml"))
        let compositor = Compositor()
        let keymap = loadKeymap(configDirectory.appendingPathComponent("keymap.toml"), commands: compositor.commandNames, warnings: &warnings)

        let graphicsOverride = options.graphics ?? settings.graphics
        let window = TerminalProbe.windowSize(of: STDOUT_FILENO)
        let replies = graphicsOverride == nil || graphicsOverride == .sixel ? TerminalProbe.ask() : nil
        let capabilities = TerminalCapabilities.decide(
            replies: replies, window: window, environment: environment, override: graphicsOverride, configuredCellSize: settings.cellSize)
        // NO_COLOR turns the interface's colours off unless a theme is asked for explicitly.
        let useColor = !capabilities.noColor || options.theme != nil
        var theme = Theme.monochrome
        if useColor {
            let loaded = ThemeLoader(searchDirectories: ThemeLoader.standardDirectories(environment: environment))
                .load(named: options.theme ?? settings.theme)
            theme = loaded.theme
            warnings += loaded.warnings
        }

        let state = initialState(options: options, settings: settings)

        signal(SIGTERM) { _ in WorkbenchApp.terminationRequested = 1 }
        signal(SIGHUP) { _ in WorkbenchApp.terminationRequested = 1 }
        let stateDirectory = StateDirectory(url: XDGPaths.stateDirectory(environment: environment))
        var errorLog: StandardErrorLog?
        do {
            errorLog = try StandardErrorLog(redirectingTo: stateDirectory.log)
        } catch {
            warnings.append("cannot write \(stateDirectory.log.path) (\(error.localizedDescription)): messages on standard error may garble the screen")
        }
        let screen = CursesScreen(useColor: useColor)
        var runEnded = true
        defer {
            screen.stop()
            errorLog?.restore()
            for warning in warnings { FileHandle.standardError.write(Data("attune: \(warning)\n".utf8)) }
            if !runEnded { _exit(0) }
        }
        let size = screen.size
        let tokenize = services.tokenize
        let context = WorkbenchContext(
            theme: theme, keymap: keymap, graphics: capabilities.graphics, cellSize: capabilities.cellSize, screenRows: size.height,
            tokenize: tokenize.map { t in { t($0) } })
        let core = try WorkbenchCore(
            state: state, context: context, size: size, services: services, stateDirectory: stateDirectory,
            autosaveDelay: .milliseconds(Int(settings.autosaveSeconds * 1000)))
        core.dispatch(.rescanSources)
        let recent = stateDirectory.recent()
        core.dispatch(.recentFiles(sessions: recent.sessions, images: recent.images))
        if let session = options.session {
            core.perform(.loadSession(session))
        } else {
            core.restoreAutosave()
        }
        if let first = warnings.first {
            core.dispatch(.setStatus(warnings.count == 1 ? first : "\(first) (+\(warnings.count - 1) more, listed on exit)", isError: true))
        }
        loop(core: core, screen: screen, capabilities: capabilities)
        if core.state.session.dirty || terminationRequested != 0 { core.autosave() }
        // A step of a large model may outlast the wait; then the process ends without the exit-time clean-up.
        runEnded = core.stopRun(within: 10)
    }

    /// The state before any session or autosave is restored: settings, models, the picture folders, and a new
    /// session at the picture size of the model it will run on (128 for the embedded model).
    static func initialState(options: WorkbenchOptions, settings: WorkbenchSettings) -> AppState {
        var state = AppState()
        state.live = settings.live
        state.commandLineModel = options.model
        state.configuredModel = settings.model
        if let model = options.model ?? settings.model ?? options.defaultModel, let side = CheckpointLoader.imageSize(of: model) {
            var start = state.settings
            start.width = side
            start.height = side
            state.apply(start)
        }
        let samples = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Samples")
        state.browser.directories =
            (FileManager.default.fileExists(atPath: samples.path) ? [samples] : []) + options.directories + settings.directories
        return state
    }

    private static func loop(core: WorkbenchCore, screen: CursesScreen, capabilities: TerminalCapabilities) {
        let presenter = FramePresenter(images: ImageLayer(mode: capabilities.graphics, palette: capabilities.truecolor ? .truecolor : .xterm256))
        var dirty = true
        while !core.state.quit && terminationRequested == 0 {
            if dirty { presenter.present(core.render(), on: screen) }
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: core.mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            dirty = poll(&descriptors, 2, 250) > 0
            for event in (screen.takeResize() ? [.resize] : []) + screen.readEvents() {
                if event == .resize {
                    let size = screen.size
                    core.resize(width: size.width, height: size.height)
                    if !capabilities.inTmux, let window = TerminalProbe.windowSize(of: STDOUT_FILENO), window.pixelWidth > 0, window.columns > 0, window.rows > 0 {
                        core.context.cellSize = CellSize(width: window.pixelWidth / window.columns, height: window.pixelHeight / window.rows)
                    }
                    presenter.forget()
                    screen.invalidate()
                }
                core.handle(event)
                // A signal (SIGWINCH) interrupts poll() with nothing to read, so the event itself marks the frame.
                dirty = true
            }
            core.drainMailbox()
            dirty = core.tick() || dirty
            if let error = presenter.takeError() {
                core.dispatch(.setStatus("pictures: \(error)", isError: true))
                dirty = true
            }
        }
    }

    private static func loadKeymap(_ url: URL, commands: [String: [String]], warnings: inout [String]) -> Keymap {
        guard FileManager.default.fileExists(atPath: url.path) else { return Keymap() }
        do {
            let (keymap, problems) = Keymap.parse(try TOML.parse(contentsOf: url), commands: commands)
            warnings += problems
            return keymap
        } catch {
            warnings.append("keymap: \(error.localizedDescription); using the default keys")
            return Keymap()
        }
    }
}
