// Puts the panels, status rows and popups together (helix's compositor, flattened): routes each input event
// to the front-most taker (popup, text field, focused panel, global keys) and draws back to front.

public struct Compositor {
    public let panels: [any Panel] = [SourcePanel(), PromptsPanel(), ParametersPanel(), PreviewPanel(), InspectorPanel(), MaskPanel()]

    public init() {}

    public func panel(_ id: PanelID) -> any Panel { panels.first { $0.id == id } ?? panels[0] }

    /// Every binding table with its keymap scope, in help order.
    public var sections: [(title: String, scope: String, bindings: [KeyBinding])] {
        [("Everywhere", "global", GlobalBindings.bindings)]
            + panels.map { ("\($0.id.rawValue) \($0.id.title)", $0.id.scope, $0.bindings) }
            + [
                ("Text fields (prompts, typed values, paths)", "field", GlobalBindings.fieldBindings),
                ("Help", "help", GlobalBindings.helpBindings),
                ("Quit confirmation", "confirm", GlobalBindings.confirmBindings),
            ]
    }

    /// Command names per scope, for checking keymap.toml.
    public var commandNames: [String: [String]] {
        Dictionary(uniqueKeysWithValues: sections.map { ($0.scope, $0.bindings.map(\.command)) })
    }

    // MARK: - Input

    public func handle(_ event: InputEvent, state: AppState, context: WorkbenchContext, layout: Layout) -> [Action] {
        switch event {
        case .resize: return []
        case .mouse(let mouse): return handleMouse(mouse, state: state, context: context, layout: layout)
        case .key(let key): return handleKey(key, state: state, context: context)
        }
    }

    private func handleKey(_ key: Key, state: AppState, context: WorkbenchContext) -> [Action] {
        func lookup(_ scope: String, _ bindings: [KeyBinding]) -> [Action]? {
            context.keymap.binding(for: key, in: bindings, scope: scope)?.perform(state, context)
        }
        switch state.overlay {
        case .help: return lookup("help", GlobalBindings.helpBindings) ?? []
        case .confirmQuit: return lookup("confirm", GlobalBindings.confirmBindings) ?? []
        case .pathDialog: return lookup("field", GlobalBindings.fieldBindings) ?? insertion(key)
        case nil: break
        }
        if state.prompts.editing || state.numericEntry != nil {
            if let actions = lookup("field", GlobalBindings.fieldBindings) { return actions }
            if case .character = key { return insertion(key) }
            return lookup("global", GlobalBindings.bindings) ?? []
        }
        let focused = panel(state.focus)
        return lookup(focused.id.scope, focused.bindings) ?? lookup("global", GlobalBindings.bindings) ?? []
    }

    private func insertion(_ key: Key) -> [Action] {
        if case .character(let c) = key { return [.edit(.insert(String(c)))] }
        return []
    }

    private func handleMouse(_ mouse: MouseEvent, state: AppState, context: WorkbenchContext, layout: Layout) -> [Action] {
        guard state.overlay == nil else { return [] }
        // A mask stroke keeps going (and ends) wherever the pointer goes.
        if state.mask.strokeAt != nil, mouse.kind == .drag || mouse.kind == .release, let rect = layout.panels[.mask] {
            return panel(.mask).handleMouse(mouse, in: rect, state: state, context: context)
        }
        guard let id = layout.panel(atX: mouse.x, y: mouse.y), let rect = layout.panels[id] else { return [] }
        let focus: [Action] = mouse.kind == .press && state.focus != id ? [.focus(id)] : []
        return focus + panel(id).handleMouse(mouse, in: rect, state: state, context: context)
    }

    // MARK: - Drawing

    /// The whole screen; also returns the popup's rectangle (pictures under it must wait until it closes).
    public func render(_ state: AppState, context: WorkbenchContext, layout: Layout) -> (surface: Surface, overlay: Rect?) {
        var surface = Surface(width: layout.width, height: layout.height, style: context.style(.ui))
        for panel in panels {
            guard let rect = layout.panels[panel.id], !rect.isEmpty else { continue }
            panel.render(state, in: rect, into: &surface, context: context)
        }
        StatusBar.render(state, hints: hints(state, context), layout: layout, into: &surface, context: context)
        var overlay: Rect?
        switch state.overlay {
        case .help(let scroll):
            surface.cursor = nil
            overlay = Overlays.renderHelp(
                lines: Overlays.helpLines(sections: sections, keymap: context.keymap), scroll: scroll, layout: layout,
                into: &surface, context: context)
        case .confirmQuit:
            surface.cursor = nil
            overlay = Overlays.renderConfirmQuit(layout: layout, into: &surface, context: context)
        case .pathDialog(let dialog):
            overlay = Overlays.renderPathDialog(dialog, layout: layout, into: &surface, context: context)
        case nil:
            break
        }
        return (surface, overlay)
    }

    /// The status line's key hints for what has the keyboard now.
    private func hints(_ state: AppState, _ context: WorkbenchContext) -> [(keys: [Key], description: String)] {
        let (scope, bindings): (String, [KeyBinding])
        switch state.overlay {
        case .help: (scope, bindings) = ("help", GlobalBindings.helpBindings)
        case .confirmQuit: (scope, bindings) = ("confirm", GlobalBindings.confirmBindings)
        case .pathDialog: (scope, bindings) = ("field", GlobalBindings.fieldBindings)
        case nil:
            if state.prompts.editing || state.numericEntry != nil {
                (scope, bindings) = ("field", GlobalBindings.fieldBindings)
            } else {
                let focused = panel(state.focus)
                let local = focused.bindings.filter(\.hint).map { (context.keymap.keys(for: $0, scope: focused.id.scope), $0.description) }
                let global = GlobalBindings.bindings.filter(\.hint).map { (context.keymap.keys(for: $0, scope: "global"), $0.description) }
                return local + global
            }
        }
        return bindings.filter(\.hint).map { (context.keymap.keys(for: $0, scope: scope), $0.description) }
    }
}
