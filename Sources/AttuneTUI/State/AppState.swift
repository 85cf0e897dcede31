// Everything the workbench shows, as one value. `reduce` is its only mutator; panels only read it.
import AttuneEditing
import Foundation

public struct AppState: Sendable {
    public var focus: PanelID = .source
    /// The focused panel fills the screen.
    public var zoomed = false
    public var overlay: Overlay?

    public var browser = SourceBrowserState()
    public var sourcePicture: Picture?
    public var prompts = PromptsState()
    /// Every edit setting except the prompt texts (those live in `prompts`); see `record`.
    public var settings = EditRecord(seed: 0)
    /// The checkpoint given with --model: it replaces a session's own, as with `attune edit --from … --model`.
    public var commandLineModel: URL?
    /// config.toml's model, for sessions that name none.
    public var configuredModel: URL?
    public var parameterRow = 0
    /// Text typed for the selected parameter (Enter on a row), nil when not typing.
    public var numericEntry: TextField?
    public var preview = PreviewState()
    public var inspector = InspectorState()
    public var mask = MaskEditorState()
    public var job = JobState()
    /// Parameter changes cancel and restart the run (after a debounce) once something has run.
    public var live = true
    public var status: StatusMessage?
    public var session = SessionState()
    /// Quit once the pending session save succeeds ("save and quit").
    public var quitAfterSave = false
    /// Set when the workbench should exit.
    public var quit = false

    public init() {}

    public var parameterRows: [ParameterRow] { ParameterRow.rows(for: settings.method) }
    public var selectedParameter: ParameterRow { parameterRows[min(parameterRow, parameterRows.count - 1)] }
    public var promptFields: [PromptField] { PromptField.fields(for: settings.method) }
}

public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    case confirmQuit
    case pathDialog(PathDialog)
}

/// A one-line path prompt with the recent files it can pick from.
public struct PathDialog: Equatable, Sendable {
    public enum Purpose: String, Sendable {
        case saveSession, loadSession, exportResult, importMask, exportMask

        public var title: String {
            switch self {
            case .saveSession: "Save session as"
            case .loadSession: "Load session"
            case .exportResult: "Export result (PNG + record)"
            case .importMask: "Import mask PNG"
            case .exportMask: "Export mask PNG"
            }
        }
    }
    public var purpose: Purpose
    public var field: TextField
    public var recent: [URL]
    public var selection: Int?
}

public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}

public struct SessionState: Equatable, Sendable {
    /// Where the session was last saved or loaded from.
    public var path: URL?
    /// Changes since the last save.
    public var dirty = false
    /// Bumped on every change to the edit settings or mask (drives autosave and live re-runs).
    public var revision = 0
    public var recentSessions: [URL] = []
    public var recentImages: [URL] = []
}
