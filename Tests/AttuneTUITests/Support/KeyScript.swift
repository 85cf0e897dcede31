// Drives the workbench's pure part like a user: key names go through the compositor (bindings, focus,
// popups) into the reducer; effects are collected instead of carried out. Screens render to text.
@testable import AttuneTUI
import AttuneEditing

struct KeyScript {
    var state: AppState
    var context: WorkbenchContext
    let compositor = Compositor()
    var layout: Layout
    /// Every effect the reducer asked for, in order.
    private(set) var effects: [Effect] = []

    /// A whitespace tokenizer with begin/end markers, standing in for CLIP's.
    static let splitTokens: (String) -> [String] = { ["<bos>"] + $0.split(separator: " ").map(String.init) + ["<eos>"] }

    init(state: AppState = AppState(), width: Int = 120, height: Int = 36, graphics: GraphicsMode = .halfblocks, keymap: Keymap = Keymap()) {
        self.state = state
        context = WorkbenchContext(theme: .monochrome, keymap: keymap, graphics: graphics, screenRows: height, tokenize: Self.splitTokens)
        layout = Layout.compute(width: width, height: height, focus: state.focus, zoomed: state.zoomed)
    }

    mutating func press(_ names: String...) {
        for name in names {
            guard let key = Key(name: name) else { preconditionFailure("no key named \(name)") }
            send(.key(key))
        }
    }

    mutating func type(_ text: String) {
        for character in text { send(.key(.character(character))) }
    }

    mutating func send(_ event: InputEvent) {
        for action in compositor.handle(event, state: state, context: context, layout: layout) { dispatch(action) }
    }

    mutating func dispatch(_ action: Action) {
        effects += reduce(&state, action)
        layout = Layout.compute(width: layout.width, height: layout.height, focus: state.focus, zoomed: state.zoomed)
    }

    /// Effects since the last call.
    mutating func takeEffects() -> [Effect] {
        defer { effects = [] }
        return effects
    }

    var screen: [String] { compositor.render(state, context: context, layout: layout).surface.lines }

    /// The text inside a panel's border, rows joined by spaces and runs of spaces collapsed (wrapped lines read
    /// as one).
    func panelText(_ panel: PanelID) -> String {
        guard let rect = layout.panels[panel]?.inset(1), !rect.isEmpty else { return "" }
        let rows = screen[rect.y..<rect.maxY].map { String($0.dropFirst(rect.x).prefix(rect.width)) }
        return rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// The picture drawn this frame whose key starts with `prefix` ("mask:", "preview:", "inspector:", "source:").
    func placement(_ prefix: String) -> ImagePlacement? {
        compositor.render(state, context: context, layout: layout).surface.images.first { $0.key.hasPrefix(prefix) }
    }

    /// A state ready to run: a seed source and both prompts typed.
    static func runnable() -> AppState {
        var state = AppState()
        state.prompts.fields[.source]?.setText("a photo of a cat")
        state.prompts.fields[.target]?.setText("a photo of a dog")
        return state
    }
}
