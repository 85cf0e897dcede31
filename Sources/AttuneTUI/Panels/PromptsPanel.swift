// Panel 2, Prompts: source and target (MCA-Ctrl: condition, target and subject) and the negative prompt, each
// with its CLIP tokens below it; ←/→ pick a token for the attention inspector and the mask.
import Foundation

public struct PromptsPanel: Panel {
    public let id = PanelID.prompts

    public var bindings: [KeyBinding] {
        [
            KeyBinding("up", keys("up", "k"), "previous prompt", .movePrompt(-1)),
            KeyBinding("down", keys("down", "j"), "next prompt", .movePrompt(1)),
            KeyBinding("edit", keys("enter", "i"), "edit the prompt (Enter/Esc to finish)", hint: true, .beginEditing),
            KeyBinding("token-next", keys("right", "l"), "pick the next token", hint: true) { state, context in
                Self.pickToken(state, context, delta: 1)
            },
            KeyBinding("token-previous", keys("left", "h"), "pick the previous token") { state, context in
                Self.pickToken(state, context, delta: -1)
            },
            KeyBinding("token-clear", keys("x"), "forget the picked token", .selectToken(nil)),
            KeyBinding("mask-from-token", keys("m"), "mask from the token's attention", hint: true, .focus(.mask), .maskFromToken),
        ]
    }

    /// The next token of the selected prompt (starting at 1: token 0 is the start-of-text marker).
    static func pickToken(_ state: AppState, _ context: WorkbenchContext, delta: Int) -> [Action] {
        let field = state.prompts.selected
        let count = context.tokens(state.prompts.text(field)).count
        guard count > 0 else {
            return [.setStatus(context.tokenize == nil ? "tokens need the model's tokenizer, not in this build" : "the prompt is empty", isError: true)]
        }
        let current = state.prompts.token?.field == field ? state.prompts.token?.index : nil
        let index = current.map { clamp($0 + delta, count: count) } ?? min(1, count - 1)
        return [.selectToken(TokenSelection(field: field, index: index))]
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        guard event.kind == .press else { return [] }
        let row = event.y - rect.y - 1
        let fields = state.promptFields
        let block = max(1, (rect.height - 2) / max(fields.count, 1))
        guard row >= 0, row / block < fields.count else { return [] }
        return [.focus(.prompts), .selectPrompt(fields[row / block])]
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context)
        let fields = state.promptFields
        guard !inner.isEmpty, !fields.isEmpty else { return }
        let block = max(1, inner.height / fields.count)
        for (i, field) in fields.enumerated() {
            let y = inner.y + i * block
            guard y < inner.maxY else { break }
            let selected = field == state.prompts.selected
            let editing = selected && state.prompts.editing
            let labelStyle = selected ? context.style(state.focus == id ? .selectionActive : .selection) : context.style(.textDim)
            let label = field.label(for: state.settings.method)
            surface.put(label.padding(toLength: 10, withPad: " ", startingAt: 0), x: inner.x, y: y, style: labelStyle, limit: 10)
            let text = state.prompts.fields[field] ?? TextField()
            let cursor = TextFieldView.draw(
                text, x: inner.x + 10, y: y, width: inner.width - 10,
                style: context.style(editing ? .fieldActive : .field), editing: editing, into: &surface)
            if editing { surface.cursor = cursor }
            drawTokens(state, field, in: Rect(x: inner.x + 2, y: y + 1, width: inner.width - 2, height: min(block - 1, inner.maxY - y - 1)), &surface, context)
        }
    }

    /// "0 <|startoftext|> 1 a 2 photo …", wrapped; the picked token highlighted.
    private func drawTokens(_ state: AppState, _ field: PromptField, in area: Rect, _ surface: inout Surface, _ context: WorkbenchContext) {
        guard area.height > 0, area.width > 0 else { return }
        guard context.tokenize != nil else {
            surface.put("tokens: need the model's tokenizer", x: area.x, y: area.y, style: context.style(.textDim), limit: area.width)
            return
        }
        var x = area.x, y = area.y
        for (index, token) in context.tokens(state.prompts.text(field)).enumerated() {
            let word = "\(index):\(token.replacingOccurrences(of: "</w>", with: ""))"
            let width = Surface.displayWidth(word)
            if x > area.x && x + width > area.maxX {
                x = area.x
                y += 1
            }
            guard y < area.maxY else { break }
            let picked = state.prompts.token == TokenSelection(field: field, index: index)
            x += surface.put(word, x: x, y: y, style: context.style(picked ? .tokenSelected : .token), limit: area.maxX - x) + 1
        }
    }
}
