// The six panels of the workbench, in focus order (keys 1–6 focus them directly).

public enum PanelID: Int, CaseIterable, Sendable {
    case source = 1, prompts, parameters, preview, inspector, mask

    public var title: String {
        switch self {
        case .source: "Source"
        case .prompts: "Prompts"
        case .parameters: "Method & parameters"
        case .preview: "Preview"
        case .inspector: "Attention inspector"
        case .mask: "Mask editor"
        }
    }

    /// The keymap.toml table holding this panel's bindings.
    public var scope: String {
        switch self {
        case .source: "source"
        case .prompts: "prompts"
        case .parameters: "parameters"
        case .preview: "preview"
        case .inspector: "inspector"
        case .mask: "mask"
        }
    }
}
