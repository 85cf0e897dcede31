// Reducing the mask editor: keyboard brush, mouse strokes, whole-mask operations, undo, and seeding the
// mask from a token's cross-attention.

func reduceMask(_ state: inout AppState, _ action: Action) -> [Effect] {
    let value: Float = state.mask.tool == .brush ? 1 : 0
    let radius = Double(state.mask.brushRadius)
    switch action {
    case .moveMaskCursor(let dx, let dy):
        let grid = state.mask.grid
        let from = (x: Double(state.mask.cursor.x) + 0.5, y: Double(state.mask.cursor.y) + 0.5)
        state.mask.cursor = (clamp(state.mask.cursor.x + dx, count: grid.width), clamp(state.mask.cursor.y + dy, count: grid.height))
        guard state.mask.penDown else { return [] }
        state.mask.grid.stroke(from: from, to: (Double(state.mask.cursor.x) + 0.5, Double(state.mask.cursor.y) + 0.5), radius: radius, value: value)
        return maskChanged(&state)
    case .stampMask:
        pushUndo(&state)
        state.mask.grid.stamp(x: Double(state.mask.cursor.x) + 0.5, y: Double(state.mask.cursor.y) + 0.5, radius: radius, value: value)
        return maskChanged(&state)
    case .togglePen:
        state.mask.penDown.toggle()
        guard state.mask.penDown else { return [] }
        return reduceMask(&state, .stampMask)
    case .toggleMaskTool:
        state.mask.tool = state.mask.tool == .brush ? .eraser : .brush
    case .resizeBrush(let delta):
        state.mask.brushRadius = min(max(state.mask.brushRadius + delta, 1), 32)
    case .changeFeatherRadius(let delta):
        state.mask.featherRadius = min(max(state.mask.featherRadius + delta, 0), 16)
    case .fillMask, .invertMask, .clearMask, .featherMask:
        pushUndo(&state)
        switch action {
        case .fillMask: state.mask.grid.fill()
        case .invertMask: state.mask.grid.invert()
        case .clearMask:
            // No mask at all: nor one the engine would derive from a token.
            state.mask.grid.clear()
            state.settings.maskToken = nil
        default: state.mask.grid = state.mask.grid.feathered(radius: state.mask.featherRadius)
        }
        return maskChanged(&state)
    case .undoMask:
        guard let previous = state.mask.undo.popLast() else {
            state.status = StatusMessage(text: "nothing to undo", isError: false)
            return []
        }
        state.mask.grid = previous
        return maskChanged(&state)
    case .maskFromToken:
        return maskFromToken(&state)
    case .strokeMask(let x, let y):
        if state.mask.strokeAt == nil { pushUndo(&state) }
        state.mask.grid.stroke(from: state.mask.strokeAt ?? (x, y), to: (x, y), radius: radius, value: value)
        state.mask.strokeAt = (x, y)
        state.mask.cursor = (clamp(Int(x), count: state.mask.grid.width), clamp(Int(y), count: state.mask.grid.height))
        state.mask.revision += 1
    case .endMaskStroke:
        guard state.mask.strokeAt != nil else { return [] }
        state.mask.strokeAt = nil
        return maskChanged(&state)
    case .maskLoaded(let grid, let fromSession):
        let resized = grid.resized(width: state.mask.grid.width, height: state.mask.grid.height)
        guard !fromSession else {
            state.mask.grid = resized
            state.mask.revision += 1
            return []
        }
        pushUndo(&state)
        state.mask.grid = resized
        state.settings.maskToken = nil  // the imported picture, not a token, defines the mask now
        return maskChanged(&state)
    default:
        break
    }
    return []
}

private func pushUndo(_ state: inout AppState) {
    state.mask.undo.append(state.mask.grid)
    if state.mask.undo.count > MaskEditorState.undoLimit { state.mask.undo.removeFirst() }
}

/// The drawn grid now defines the mask, replacing a mask file named by a loaded session.
private func maskChanged(_ state: inout AppState) -> [Effect] {
    state.mask.revision += 1
    state.settings.mask = nil
    return settingsChanged(&state)
}

/// Thresholds the picked token's cross-attention (current resolution and step) into the mask; before any
/// run has recorded maps, the token is stored in the record so the engine derives the mask itself.
private func maskFromToken(_ state: inout AppState) -> [Effect] {
    guard let token = state.prompts.token, let branch = InspectorState.branch(of: token.field) else {
        state.status = StatusMessage(text: "pick a token of the source or target prompt first (Prompts panel)", isError: true)
        return []
    }
    guard let field = state.inspector.crossAttention(token: token.index, branch: branch) else {
        state.settings.maskToken = token.index
        state.status = StatusMessage(
            text: "no \(state.inspector.resolution)² attention maps yet: the run will derive the mask from token #\(token.index)",
            isError: false)
        return settingsChanged(&state)
    }
    pushUndo(&state)
    state.mask.grid = MaskGrid(
        field: field.values, fieldWidth: field.side, fieldHeight: field.side, threshold: state.settings.maskThreshold,
        width: state.mask.grid.width, height: state.mask.grid.height)
    state.settings.maskToken = token.index
    return maskChanged(&state)
}
