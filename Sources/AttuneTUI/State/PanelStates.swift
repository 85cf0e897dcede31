// Small per-panel states: the source browser (and the roles of its other pictures), the preview's mode, the
// attention inspector and the mask editor.
import AttuneEditing
import Foundation

public struct SourceBrowserState: Equatable, Sendable {
    /// Directories scanned for pictures (Samples/ and those given on the command line).
    public var directories: [URL] = []
    public var entries: [URL] = []
    public var selection = 0
    /// The picture being edited.
    public var chosen: URL?
}

/// What a picture other than the source is for.
public enum PictureRole: String, CaseIterable, Sendable {
    case subject, condition

    public var title: String {
        switch self {
        case .subject: "subject picture"
        case .condition: "condition picture"
        }
    }

    /// The method that reads it.
    public var user: String {
        switch self {
        case .subject: "MCA-Ctrl's [subject] image"
        case .condition: "MaSaFusion's T2I-Adapter condition"
        }
    }
}

extension EditRecord {
    public subscript(role: PictureRole) -> URL? {
        get { role == .subject ? subjectImage : condition }
        set { if role == .subject { subjectImage = newValue } else { condition = newValue } }
    }
}

public enum PreviewMode: String, CaseIterable, Sendable {
    case source, latent, result, compare, wipe

    public var label: String {
        switch self {
        case .source: "source"
        case .latent: "latent"
        case .result: "result"
        case .compare: "before|after"
        case .wipe: "wipe"
        }
    }
}

public struct PreviewState: Equatable, Sendable {
    public var mode: PreviewMode = .source
    /// Where the wipe compare splits, 0 (all result) ... 1 (all source).
    public var wipe = 0.5
}

public struct InspectorState: Equatable, Sendable {
    public static let resolutions = [8, 16, 32, 64]
    public var kind: AttentionKind = .cross
    public var resolution = 16
    /// The denoising step shown; nil averages all recorded steps.
    public var step: Int?
    /// The pixel whose self-attention is shown, as a fraction of the image (0..<1).
    public var pixel = (x: 0.5, y: 0.5)
    /// Maps of the current run, as the engine sent them.
    public var maps: [AttentionMap] = []

    /// The resolutions +/- step through: those the run's maps of the shown kind have (a small model's may be
    /// 2², 4², 8²), else the usual ones of SD 1.x at 512².
    public var resolutionChoices: [Int] {
        let recorded = Set(maps.filter { $0.kind == kind }.map(\.resolution))
        return recorded.isEmpty ? Self.resolutions : recorded.sorted()
    }

    public static func == (a: InspectorState, b: InspectorState) -> Bool {
        a.kind == b.kind && a.resolution == b.resolution && a.step == b.step && a.pixel == b.pixel && a.maps == b.maps
    }
}

public enum MaskTool: String, Sendable {
    case brush, eraser
}

public struct MaskEditorState: Equatable, Sendable {
    public var grid = MaskGrid(width: 64, height: 64)
    public var tool: MaskTool = .brush
    /// Brush radius in mask cells (latent pixels).
    public var brushRadius = 4
    /// Radius of the feather blur, in mask cells.
    public var featherRadius = 2
    /// The keyboard brush position, in mask cells.
    public var cursor = (x: 32, y: 32)
    /// While the pen is down, moving the cursor paints.
    public var penDown = false
    /// Where the mouse stroke in progress last painted (mask cells).
    public var strokeAt: (x: Double, y: Double)?
    public var undo: [MaskGrid] = []
    /// Bumped on every change, so pictures of the mask are rebuilt only when it changed.
    public var revision = 0

    public static let undoLimit = 30

    public static func == (a: MaskEditorState, b: MaskEditorState) -> Bool {
        a.grid == b.grid && a.tool == b.tool && a.brushRadius == b.brushRadius && a.featherRadius == b.featherRadius
            && a.cursor == b.cursor && a.penDown == b.penDown && a.undo == b.undo && a.revision == b.revision
    }
}
