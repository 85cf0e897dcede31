// Reducing the source picker, prompt fields and parameter rows.
import AttuneEditing
import Foundation

func reduceSource(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .moveBrowser(let delta):
        state.browser.selection = clamp(state.browser.selection + delta, count: state.browser.entries.count)
    case .selectBrowserEntry(let index):
        state.browser.selection = clamp(index, count: state.browser.entries.count)
    case .chooseSelectedSource:
        guard state.browser.entries.indices.contains(state.browser.selection) else {
            state.status = StatusMessage(text: "no pictures found in \(state.browser.directories.map(\.path).joined(separator: ", "))", isError: true)
            return []
        }
        let url = state.browser.entries[state.browser.selection]
        guard url != state.browser.chosen else { return [] }
        state.browser.chosen = url
        state.sourcePicture = nil
        state.job.result = nil
        state.job.latent = nil
        return [.loadPicture(url), .rememberRecent(url, isSession: false)] + settingsChanged(&state)
    case .useSelectedPicture(let role):
        guard state.browser.entries.indices.contains(state.browser.selection) else { return [] }
        let url = state.browser.entries[state.browser.selection]
        var settings = state.settings
        let now = settings[role] == url ? nil : url
        settings[role] = now
        state.settings = settings
        let text = now.map { "\(role.title): \($0.lastPathComponent) (\(role.user))" } ?? "no \(role.title) now"
        let effects = settingsChanged(&state)
        state.status = StatusMessage(text: text, isError: false)
        return effects
    case .rescanSources:
        return [.scanSources(state.browser.directories)]
    case .browserEntries(let entries):
        state.browser.entries = entries
        let chosenIndex = state.browser.chosen.flatMap { entries.firstIndex(of: $0) }
        state.browser.selection = chosenIndex ?? clamp(state.browser.selection, count: entries.count)
    case .pictureLoaded(let url, let picture):
        if url == state.browser.chosen { state.sourcePicture = picture }
    case .pictureFailed(let url, let message):
        state.status = StatusMessage(text: "cannot show \(url.lastPathComponent): \(message)", isError: true)
    default:
        break
    }
    return []
}

func reducePrompts(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .selectPrompt(let field):
        let effects = finishEditingIfNeeded(&state)
        state.prompts.selected = field
        return effects
    case .movePrompt(let delta):
        let fields = state.promptFields
        let index = fields.firstIndex(of: state.prompts.selected) ?? 0
        return reducePrompts(&state, .selectPrompt(fields[clamp(index + delta, count: fields.count)]))
    case .beginEditing:
        state.focus = .prompts
        state.prompts.editing = true
        state.prompts.textBeforeEditing = state.prompts.text(state.prompts.selected)
    case .finishEditing:
        return finishEditingIfNeeded(&state)
    case .edit(let edit):
        if case .pathDialog(var dialog) = state.overlay {
            dialog.field.apply(edit)
            state.overlay = .pathDialog(dialog)
        } else if state.numericEntry != nil {
            state.numericEntry?.apply(edit)
        } else if state.prompts.editing {
            state.prompts.fields[state.prompts.selected]?.apply(edit)
        }
    case .selectToken(let selection):
        state.prompts.token = selection
    default:
        break
    }
    return []
}

/// Leaving a prompt field commits it to its history and, if the text changed, counts as a settings change.
func finishEditingIfNeeded(_ state: inout AppState) -> [Effect] {
    guard state.prompts.editing else { return [] }
    state.prompts.editing = false
    let field = state.prompts.selected
    state.prompts.fields[field]?.commitToHistory()
    return state.prompts.text(field) == state.prompts.textBeforeEditing ? [] : settingsChanged(&state)
}

func reduceParameters(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .moveParameter(let delta):
        state.numericEntry = nil
        state.parameterRow = clamp(state.parameterRow + delta, count: state.parameterRows.count)
    case .selectParameter(let index):
        state.numericEntry = nil
        state.parameterRow = clamp(index, count: state.parameterRows.count)
    case .adjustParameter(let delta, let coarse):
        return changeSettings(&state, state.selectedParameter.adjusted(state.settings, by: delta, coarse: coarse))
    case .resetParameter:
        return changeSettings(&state, state.selectedParameter.reset(state.settings))
    case .setSeed(let seed):
        var settings = state.settings
        settings.seed = seed
        return changeSettings(&state, settings)
    case .beginNumericEntry:
        let row = state.selectedParameter
        let value = row.number(state.settings).map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
        switch row {
        case .method: state.numericEntry = TextField(state.settings.method.rawValue)
        case .variant, .subjectImage, .conditionImage, .adapter: state.numericEntry = TextField(row.entryText(state.settings))
        default: state.numericEntry = TextField(value ?? row.valueText(state.settings))
        }
    case .commitNumericEntry:
        guard let entry = state.numericEntry else { return [] }
        switch state.selectedParameter.parsing(entry.text, in: state.settings) {
        case .success(let settings):
            state.numericEntry = nil
            return changeSettings(&state, settings)
        case .failure(let error):
            state.status = StatusMessage(text: error.message, isError: true)
        }
    case .cancelNumericEntry:
        state.numericEntry = nil
    case .toggleLive:
        state.live.toggle()
        state.status = StatusMessage(text: state.live ? "live: parameter changes re-run the edit" : "live off: press the run key to run", isError: false)
    default:
        break
    }
    return []
}

/// New settings from a parameter row: keeps the selected row and prompt valid when the method changed,
/// resizes the mask grid when the image size changed.
private func changeSettings(_ state: inout AppState, _ settings: EditRecord) -> [Effect] {
    guard settings != state.settings else { return [] }
    let methodChanged = settings.method != state.settings.method
    state.settings = settings
    if methodChanged {
        state.parameterRow = min(state.parameterRow, state.parameterRows.count - 1)
        if !state.promptFields.contains(state.prompts.selected) { state.prompts.selected = .source }
    }
    let (w, h) = (AppState.maskSide(settings.width), AppState.maskSide(settings.height))
    if state.mask.grid.width != w || state.mask.grid.height != h {
        // The brush keeps its place on the picture.
        state.mask.cursor = (state.mask.cursor.x * w / state.mask.grid.width, state.mask.cursor.y * h / state.mask.grid.height)
        state.mask.grid = state.mask.grid.resized(width: w, height: h)
        state.mask.revision += 1
    }
    return settingsChanged(&state)
}

/// `value` clamped to 0..<count (0 when empty).
func clamp(_ value: Int, count: Int) -> Int { max(0, min(value, count - 1)) }
