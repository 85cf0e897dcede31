// Key bindings as tables (lazygit's GetKeybindings): each panel declares commands with default keys and a
// description; the keymap may remap them, and the same tables make the help overlay and the status hints.

public struct KeyBinding {
    /// The name used in keymap.toml ("brush-grow").
    public let command: String
    public let keys: [Key]
    public let description: String
    /// Shown in the status line while its panel has focus.
    public let hint: Bool
    public let perform: (AppState, WorkbenchContext) -> [Action]

    public init(_ command: String, _ keys: [Key], _ description: String, hint: Bool = false, perform: @escaping (AppState, WorkbenchContext) -> [Action]) {
        self.command = command
        self.keys = keys
        self.description = description
        self.hint = hint
        self.perform = perform
    }

    /// A binding that always produces the same actions.
    public init(_ command: String, _ keys: [Key], _ description: String, hint: Bool = false, _ actions: Action...) {
        self.init(command, keys, description, hint: hint) { _, _ in actions }
    }
}

/// Shorthand for binding tables: `keys("k", "up")`.
func keys(_ names: String...) -> [Key] { names.compactMap { Key(name: $0) } }
