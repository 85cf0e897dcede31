// Panel 5, Attention inspector: the picked token's cross-attention as a heat map over the picture, or the
// self-attention of one pixel, at a chosen resolution and step (or averaged over the steps).

public struct InspectorPanel: Panel {
    public let id = PanelID.inspector

    public var bindings: [KeyBinding] {
        [
            KeyBinding("kind", keys("a"), "cross- or self-attention", hint: true, .toggleAttentionKind),
            KeyBinding("resolution-down", keys("-"), "coarser maps", .cycleResolution(-1)),
            KeyBinding("resolution-up", keys("+", "="), "finer maps", hint: true, .cycleResolution(1)),
            KeyBinding("step-previous", keys(","), "earlier step (first: all steps averaged)", .moveInspectorStep(-1)),
            KeyBinding("step-next", keys("."), "later step", hint: true, .moveInspectorStep(1)),
            KeyBinding("token-next", keys("n"), "next token", hint: true) { state, context in Self.pickToken(state, context, delta: 1) },
            KeyBinding("token-previous", keys("p"), "previous token") { state, context in Self.pickToken(state, context, delta: -1) },
            KeyBinding("pixel-left", keys("left", "h"), "move the self-attention pixel left", .moveInspectorPixel(dx: -1, dy: 0)),
            KeyBinding("pixel-right", keys("right", "l"), "move the pixel right", .moveInspectorPixel(dx: 1, dy: 0)),
            KeyBinding("pixel-up", keys("up", "k"), "move the pixel up", .moveInspectorPixel(dx: 0, dy: -1)),
            KeyBinding("pixel-down", keys("down", "j"), "move the pixel down", .moveInspectorPixel(dx: 0, dy: 1)),
        ]
    }

    /// Tokens of the prompt the current token belongs to (the target prompt at first).
    static func pickToken(_ state: AppState, _ context: WorkbenchContext, delta: Int) -> [Action] {
        var view = state
        view.prompts.selected = state.prompts.token?.field ?? .target
        return PromptsPanel.pickToken(view, context, delta: delta)
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        let size = state.canvasSize
        guard event.kind == .press || event.kind == .drag,
            let fit = pictureFit(size, in: pictureArea(rect), context: context),
            let fraction = pictureFraction(event, in: fit)
        else { return [] }
        return [.setInspectorPixel(x: fraction.x, y: fraction.y)]
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context)
        guard !inner.isEmpty else { return }
        let inspector = state.inspector
        let (field, description, missing) = selection(state, context)
        surface.putWrapped(description, in: inner.splitTop(Self.descriptionRows).top, style: context.style(.text))
        let size = state.canvasSize
        let pixel = inspector.pixel
        let key = "inspector:\(state.canvasKey):\(description):\(inspector.maps.count):\(state.job.runID)"
        let caption = inspector.kind == .cross ? "token's attention (bright = most)" : "where the + pixel looks (bright = most)"
        place(
            field == nil ? nil : size, key: key, caption: caption, empty: missing,
            in: pictureArea(rect), into: &surface, context: context
        ) { width, height in
            guard let field else { return state.canvas(width: width, height: height) }
            var picture = state.canvas(width: width, height: height).overlaid(
                field: Colormap.normalized(field.values), fieldWidth: field.side, fieldHeight: field.side, alpha: 0.7,
                color: Colormap.heat, weight: { 0.3 + 0.7 * Double($0) })
            if inspector.kind == .self { Self.markPixel(&picture, x: pixel.x, y: pixel.y) }
            return picture
        }
    }

    /// The choice's description wraps onto two rows in a narrow panel.
    static let descriptionRows = 2

    private func pictureArea(_ rect: Rect) -> Rect { rect.inset(1).splitTop(Self.descriptionRows).bottom }

    /// The field to show, a one-line description of the choice, and why nothing shows.
    private func selection(_ state: AppState, _ context: WorkbenchContext) -> (AttentionField?, String, String) {
        let inspector = state.inspector
        let step = inspector.step.map { "step \($0 + 1)" } ?? "all steps"
        let where_ = "\(inspector.resolution)² · \(step)"
        let recorded = Set(inspector.maps.filter { $0.kind == inspector.kind }.map(\.resolution)).sorted().map { "\($0)²" }
        let noMaps = recorded.isEmpty
            ? (state.job.hasRun ? "no \(inspector.kind.rawValue)-attention maps from this run yet" : "maps arrive while a run goes (C-r runs)")
            : "no \(inspector.resolution)² maps in this run; it has \(recorded.joined(separator: ", ")) (+/- picks)"
        switch inspector.kind {
        case .cross:
            guard let token = state.prompts.token, let branch = InspectorState.branch(of: token.field) else {
                return (nil, "cross · \(where_)", "pick a source or target token (n/p, or ←/→ in Prompts)")
            }
            let tokens = context.tokens(state.prompts.text(token.field))
            let word = tokens.indices.contains(token.index) ? " '\(tokens[token.index].replacingOccurrences(of: "</w>", with: ""))'" : ""
            return (inspector.crossAttention(token: token.index, branch: branch), "cross · #\(token.index)\(word) \(branch.rawValue) · \(where_)", noMaps)
        case .self:
            let x = Int(inspector.pixel.x * Double(inspector.resolution)), y = Int(inspector.pixel.y * Double(inspector.resolution))
            return (inspector.selfAttention(), "self · pixel (\(x),\(y)) · \(where_)", noMaps)
        }
    }

    /// A small white cross at the inspected pixel.
    private static func markPixel(_ picture: inout Picture, x: Double, y: Double) {
        let cx = min(picture.width - 1, Int(x * Double(picture.width))), cy = min(picture.height - 1, Int(y * Double(picture.height)))
        let arm = max(2, picture.width / 40)
        for d in -arm...arm {
            if (0..<picture.width).contains(cx + d) { picture[cx + d, cy] = RGB(255, 255, 255) }
            if (0..<picture.height).contains(cy + d) { picture[cx, cy + d] = RGB(255, 255, 255) }
        }
    }
}
