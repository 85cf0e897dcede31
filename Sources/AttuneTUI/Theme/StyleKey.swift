// The style keys a theme may set (helix-style dotted scopes). A key a theme leaves out falls back to its
// parent scope: "ui.panel.border.active" -> "ui.panel.border" -> "ui.panel" -> "ui".

public enum StyleKey: String, CaseIterable, Sendable {
    case ui = "ui"
    case text = "ui.text"
    case textDim = "ui.text.dim"
    case textError = "ui.text.error"
    case panel = "ui.panel"
    case panelBorder = "ui.panel.border"
    case panelBorderActive = "ui.panel.border.active"
    case panelTitle = "ui.panel.title"
    case panelTitleActive = "ui.panel.title.active"
    case selection = "ui.selection"
    case selectionActive = "ui.selection.active"
    case field = "ui.field"
    case fieldActive = "ui.field.active"
    case cursor = "ui.cursor"
    case token = "ui.token"
    case tokenSelected = "ui.token.selected"
    case sliderTrack = "ui.slider.track"
    case sliderFill = "ui.slider.fill"
    case statusline = "ui.statusline"
    case statuslineError = "ui.statusline.error"
    case hintKey = "ui.hint.key"
    case hintText = "ui.hint.text"
    case progressFill = "ui.progress.fill"
    case progressEmpty = "ui.progress.empty"
    case popup = "ui.popup"
    case popupBorder = "ui.popup.border"
    case popupTitle = "ui.popup.title"
    /// Its foreground colour tints masked pixels in the mask editor.
    case maskOverlay = "ui.mask.overlay"

    /// The enclosing scope, or nil for "ui".
    public var parent: StyleKey? {
        var name = rawValue
        while let dot = name.lastIndex(of: ".") {
            name = String(name[..<dot])
            if let key = StyleKey(rawValue: name) { return key }
        }
        return nil
    }
}
