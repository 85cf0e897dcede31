// The workbench without the terminal: owns the state, turns input into actions through the compositor,
// reduces them, carries out their effects (files, pictures, the diffusion actor) and takes the mailbox's
// actions. The curses loop (WorkbenchApp) and the tests drive it the same way.
import AttuneEditing
import Foundation

public final class WorkbenchCore {
    public private(set) var state: AppState
    public var context: WorkbenchContext
    public private(set) var layout: Layout
    public let compositor = Compositor()
    public let mailbox: Mailbox
    let services: WorkbenchServices
    let files: SessionFiles
    let stateDirectory: StateDirectory
    let actor: DiffusionActor?
    let autosaveDelay: Duration
    /// The revision last autosaved, and when the revision last changed (autosave waits for a quiet moment).
    private var autosavedRevision: Int
    private var revisionChange: (revision: Int, at: ContinuousClock.Instant)
    private var statusShownAt: (status: StatusMessage, at: ContinuousClock.Instant)?

    public init(
        state: AppState, context: WorkbenchContext, size: (width: Int, height: Int), services: WorkbenchServices,
        stateDirectory: StateDirectory, autosaveDelay: Duration = .seconds(2)
    ) throws {
        self.state = state
        self.context = context
        self.services = services
        self.stateDirectory = stateDirectory
        self.autosaveDelay = autosaveDelay
        files = SessionFiles(pictures: services.pictures, attuneVersion: services.attuneVersion)
        let mailbox = try Mailbox()
        self.mailbox = mailbox
        actor = services.engine.map { DiffusionActor(engine: $0) { mailbox.post($0) } }
        layout = Layout.compute(width: size.width, height: size.height, focus: state.focus, zoomed: state.zoomed)
        autosavedRevision = state.session.revision
        revisionChange = (state.session.revision, .now)
    }

    public func resize(width: Int, height: Int) {
        context.screenRows = height
        layout = Layout.compute(width: width, height: height, focus: state.focus, zoomed: state.zoomed)
    }

    public func handle(_ event: InputEvent) {
        for action in compositor.handle(event, state: state, context: context, layout: layout) { dispatch(action) }
    }

    public func dispatch(_ action: Action) {
        let effects = reduce(&state, action)
        layout = Layout.compute(width: layout.width, height: layout.height, focus: state.focus, zoomed: state.zoomed)
        for effect in effects { perform(effect) }
    }

    /// Applies what background work posted; returns whether there was anything.
    @discardableResult
    public func drainMailbox() -> Bool {
        let actions = mailbox.drain()
        for action in actions { dispatch(action) }
        return !actions.isEmpty
    }

    public func render() -> (surface: Surface, overlay: Rect?) {
        compositor.render(state, context: context, layout: layout)
    }

    /// Time-based chores, called from the main loop: autosave after a quiet moment, fading old status messages.
    /// Returns whether the screen needs drawing again.
    @discardableResult
    public func tick(now: ContinuousClock.Instant = .now) -> Bool {
        if state.session.revision != revisionChange.revision { revisionChange = (state.session.revision, now) }
        if state.session.revision != autosavedRevision && now - revisionChange.at >= autosaveDelay { autosave() }
        guard let status = state.status else { return false }
        if statusShownAt?.status != status { statusShownAt = (status, now) }
        guard let shown = statusShownAt, now - shown.at >= (status.isError ? .seconds(12) : .seconds(5)) else { return false }
        dispatch(.clearStatus)
        return true
    }

    /// Writes the whole state to the state directory (crash-safe: the record is replaced atomically).
    public func autosave() {
        autosavedRevision = state.session.revision
        do {
            try files.save(state.record, mask: state.mask.grid.isEmpty || services.pictures == nil ? nil : state.mask.grid, to: stateDirectory.autosave)
        } catch {
            dispatch(.setStatus("autosave failed: \(error.localizedDescription)", isError: true))
        }
    }

    /// Restores the autosaved state, if there is one; returns whether it did.
    @discardableResult
    public func restoreAutosave() -> Bool {
        guard FileManager.default.fileExists(atPath: stateDirectory.autosave.path) else { return false }
        do {
            dispatch(.sessionRestored(try EditRecord(contentsOf: stateDirectory.autosave)))
            autosavedRevision = state.session.revision
            return true
        } catch {
            dispatch(.setStatus("could not restore the autosave: \(error.localizedDescription)", isError: true))
            return false
        }
    }

    /// Waits for the diffusion actor's current run to end (tests, shutdown).
    public func waitForRun() async { await actor?.wait() }

    /// Cancels any run and waits up to `seconds` for it to end; false if it is still computing. A run left
    /// computing when the process exits meets OpenBLAS's exit-time clean-up in the middle of a product, which
    /// crashes ("BLAS : Bad memory unallocation", then a segmentation fault).
    public func stopRun(within seconds: Double) -> Bool {
        guard let actor else { return true }
        let ended = DispatchSemaphore(value: 0)
        Task.detached {
            await actor.cancel(upTo: Int.max)
            await actor.wait()
            ended.signal()
        }
        return ended.wait(timeout: .now() + seconds) == .success
    }

    // MARK: - Effects

    func perform(_ effect: Effect) {
        switch effect {
        case .scanSources(let directories):
            dispatch(.browserEntries(PictureDirectory.pictures(in: directories)))
        case .loadPicture(let url):
            guard let pictures = services.pictures else {
                return dispatch(.pictureFailed(url, SessionFileError.picturesUnavailable("showing pictures").localizedDescription))
            }
            let mailbox = self.mailbox
            Task.detached {
                do {
                    mailbox.post(.pictureLoaded(url, try pictures.load(url)))
                } catch {
                    mailbox.post(.pictureFailed(url, error.localizedDescription))
                }
            }
        case .startRun(var record, let mask, let runID, let debounce):
            guard let actor else { return dispatch(.engine(runID: runID, .failed(WorkbenchServices.engineUnavailable))) }
            if let mask {
                do {
                    try files.writePicture(mask.picture(width: record.width, height: record.height), to: stateDirectory.runMask, what: "running with a drawn mask")
                    record.mask = stateDirectory.runMask
                } catch {
                    return dispatch(.engine(runID: runID, .failed(error.localizedDescription)))
                }
            }
            let request = record
            Task.detached { await actor.start(request, runID: runID, debounce: debounce) }
        case .cancelRun:
            guard let actor else { return }
            let runID = state.job.runID
            Task.detached { await actor.cancel(upTo: runID) }
        case .saveSession(let url, let record, let mask):
            do {
                try files.save(record, mask: mask, to: url)
                dispatch(.sessionSaved(url))
            } catch {
                dispatch(.saveFailed(error.localizedDescription))
            }
        case .loadSession(let url):
            do {
                dispatch(.sessionLoaded(url, try EditRecord(contentsOf: url)))
            } catch {
                dispatch(.setStatus(error.localizedDescription, isError: true))
            }
        case .exportResult(let url, let picture, let record):
            do {
                try files.exportResult(picture, record: record, to: url)
                dispatch(.resultExported(url))
            } catch {
                dispatch(.setStatus("export failed: \(error.localizedDescription)", isError: true))
            }
        case .importMask(let url, let width, let height, let fromSession):
            do {
                let picture = try files.readPicture(url, what: "reading masks")
                dispatch(.maskLoaded(MaskGrid(picture: picture, width: width, height: height), fromSession: fromSession))
            } catch {
                dispatch(.setStatus("cannot read the mask \(url.path): \(error.localizedDescription)", isError: true))
            }
        case .exportMask(let url, let grid, let width, let height):
            do {
                try files.writePicture(grid.picture(width: width, height: height), to: url, what: "exporting masks")
                dispatch(.setStatus("mask written to \(url.path)", isError: false))
            } catch {
                dispatch(.setStatus("mask export failed: \(error.localizedDescription)", isError: true))
            }
        case .rememberRecent(let url, let isSession):
            if let (sessions, images) = try? stateDirectory.remember(url, isSession: isSession) {
                dispatch(.recentFiles(sessions: sessions, images: images))
            }
        case .quit:
            break
        }
    }
}

/// Finds the pictures the Source panel offers.
public enum PictureDirectory {
    public static let extensions: Set<String> = ["png"]

    /// PNG files in `directories` and their subdirectories (hidden ones skipped), sorted by path.
    public static func pictures(in directories: [URL]) -> [URL] {
        var found: [URL] = []
        for directory in directories {
            guard let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            else { continue }
            for case let url as URL in enumerator where extensions.contains(url.pathExtension.lowercased()) {
                found.append(url.standardizedFileURL)
            }
        }
        return Array(Set(found)).sorted { $0.path < $1.path }
    }
}
