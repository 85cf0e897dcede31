// A colour theme: a style per StyleKey, resolved through the key's parent scopes.

public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [StyleKey: TextStyle]

    public init(name: String, styles: [StyleKey: TextStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `key`: its own entry drawn over its parents' (so "ui" sets the base colours).
    public func style(_ key: StyleKey) -> TextStyle {
        let inherited = key.parent.map(style) ?? .plain
        return styles[key].map { inherited.patched(with: $0) } ?? inherited
    }

    /// Meaning without colour (NO_COLOR, 2-colour terminals, no theme file found): reverse video marks focus
    /// and selection, bold marks titles and keys.
    public static let monochrome = Theme(
        name: "monochrome",
        styles: [
            .textDim: TextStyle(modifiers: .dim),
            .textError: TextStyle(modifiers: [.bold, .underline]),
            .panelBorderActive: TextStyle(modifiers: .bold),
            .panelTitleActive: TextStyle(modifiers: [.bold, .reverse]),
            .selectionActive: TextStyle(modifiers: .reverse),
            .selection: TextStyle(modifiers: .underline),
            .fieldActive: TextStyle(modifiers: .underline),
            .cursor: TextStyle(modifiers: .reverse),
            .tokenSelected: TextStyle(modifiers: .reverse),
            .sliderFill: TextStyle(modifiers: .bold),
            .statusline: TextStyle(modifiers: .reverse),
            .statuslineError: TextStyle(modifiers: [.reverse, .bold]),
            .hintKey: TextStyle(modifiers: .bold),
            .progressFill: TextStyle(modifiers: .reverse),
            .popupTitle: TextStyle(modifiers: .bold),
        ])
}
