// Reducing the preview mode and the attention inspector's choices (kind, resolution, step, pixel).

func reduceViews(_ state: inout AppState, _ action: Action) {
    switch action {
    case .setPreviewMode(let mode):
        state.preview.mode = mode
    case .moveWipe(let delta):
        state.preview.wipe = min(max(state.preview.wipe + delta, 0), 1)
    case .toggleAttentionKind:
        state.inspector.kind = state.inspector.kind == .cross ? .self : .cross
    case .cycleResolution(let delta):
        let choices = state.inspector.resolutionChoices, current = state.inspector.resolution
        if let index = choices.firstIndex(of: current) {
            state.inspector.resolution = choices[clamp(index + delta, count: choices.count)]
        } else if let nearest = delta < 0 ? choices.last(where: { $0 < current }) ?? choices.first : choices.first(where: { $0 > current }) ?? choices.last {
            // The maps lack the current resolution: move to the nearest one they have in that direction.
            state.inspector.resolution = nearest
        }
    case .moveInspectorStep(let delta):
        // nil (mean of all steps) comes before step 0.
        let choices: [Int?] = [nil] + (0..<max(state.settings.steps, 1)).map { Optional($0) }
        let index = choices.firstIndex(of: state.inspector.step) ?? 0
        state.inspector.step = choices[clamp(index + delta, count: choices.count)]
    case .moveInspectorPixel(let dx, let dy):
        let cell = 1 / Double(state.inspector.resolution)
        state.inspector.pixel = (
            min(max(state.inspector.pixel.x + Double(dx) * cell, 0), 1 - cell / 2),
            min(max(state.inspector.pixel.y + Double(dy) * cell, 0), 1 - cell / 2)
        )
    case .setInspectorPixel(let x, let y):
        state.inspector.pixel = (min(max(x, 0), 0.999), min(max(y, 0), 0.999))
    default:
        break
    }
}
