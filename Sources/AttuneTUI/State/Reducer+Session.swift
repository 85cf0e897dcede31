// Reducing path dialogs, session save/load, exports, and the run's lifecycle and engine events.
import AttuneEditing
import Foundation

func reduceSession(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .openDialog(let purpose):
        if purpose == .exportResult && state.job.result == nil {
            state.status = StatusMessage(text: "nothing to export yet: run the edit first", isError: true)
            return []
        }
        let initial: String
        switch purpose {
        case .saveSession: initial = state.session.path?.path ?? "session.toml"
        case .loadSession, .importMask: initial = ""
        case .exportResult: initial = "result.png"
        case .exportMask: initial = "mask.png"
        }
        let recent = purpose == .loadSession ? state.session.recentSessions : []
        state.overlay = .pathDialog(PathDialog(purpose: purpose, field: TextField(initial), recent: recent, selection: nil))
    case .moveDialogSelection(let delta):
        guard case .pathDialog(var dialog) = state.overlay, !dialog.recent.isEmpty else { return [] }
        let index = dialog.selection.map { clamp($0 + delta, count: dialog.recent.count) } ?? (delta > 0 ? 0 : dialog.recent.count - 1)
        dialog.selection = index
        dialog.field.setText(dialog.recent[index].path)
        state.overlay = .pathDialog(dialog)
    case .submitDialog:
        guard case .pathDialog(let dialog) = state.overlay else { return [] }
        let text = dialog.field.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            state.status = StatusMessage(text: "type a path, or Esc to cancel", isError: true)
            return []
        }
        let url = URL(fileURLWithPath: NSString(string: text).expandingTildeInPath).standardizedFileURL
        state.overlay = nil
        switch dialog.purpose {
        case .saveSession: return [.saveSession(url, state.record, mask: state.mask.grid.isEmpty ? nil : state.mask.grid)]
        case .loadSession: return [.loadSession(url)]
        case .exportResult:
            guard let result = state.job.result else { return [] }
            return [.exportResult(url, result, state.record)]
        case .importMask: return [.importMask(url, width: state.mask.grid.width, height: state.mask.grid.height, fromSession: false)]
        case .exportMask: return [.exportMask(url, state.mask.grid, width: state.settings.width, height: state.settings.height)]
        }
    case .saveSession:
        guard let path = state.session.path else { return reduceSession(&state, .openDialog(.saveSession)) }
        return [.saveSession(path, state.record, mask: state.mask.grid.isEmpty ? nil : state.mask.grid)]
    case .sessionSaved(let url):
        state.session.path = url
        state.session.dirty = false
        state.status = StatusMessage(text: "saved \(url.path)", isError: false)
        var effects: [Effect] = [.rememberRecent(url, isSession: true)]
        if state.quitAfterSave {
            state.quit = true
            effects += [.cancelRun, .quit]
        }
        return effects
    case .saveFailed(let message):
        state.quitAfterSave = false
        state.status = StatusMessage(text: "not saved: \(message)", isError: true)
    case .sessionLoaded(let url, let record):
        var effects = replaceSession(&state, with: record)
        state.session.path = url
        state.status = StatusMessage(text: "loaded \(url.path)", isError: false)
        effects.append(.rememberRecent(url, isSession: true))
        return effects
    case .sessionRestored(let record):
        let effects = replaceSession(&state, with: record)
        state.session.path = nil
        state.status = StatusMessage(text: "restored the last session (autosave); C-o loads another", isError: false)
        return effects
    case .resultExported(let url):
        state.status = StatusMessage(text: "exported \(url.path) and its record", isError: false)
    case .recentFiles(let sessions, let images):
        state.session.recentSessions = sessions
        state.session.recentImages = images
    default:
        break
    }
    return []
}

/// Every setting from `record`, a fresh run state, and the files the record names to read.
private func replaceSession(_ state: inout AppState, with record: EditRecord) -> [Effect] {
    state.apply(record)
    state.sourcePicture = nil
    state.job = JobState(runID: state.job.runID + 1)
    state.inspector.maps = []
    state.session.dirty = false
    state.session.revision += 1
    var effects: [Effect] = [.cancelRun]
    if let image = record.sourceImage { effects.append(.loadPicture(image)) }
    if let mask = record.mask {
        effects.append(.importMask(mask, width: state.mask.grid.width, height: state.mask.grid.height, fromSession: true))
    }
    return effects
}

func reduceRun(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .run:
        let effects = finishEditingIfNeeded(&state)
        // Editing a prompt in live mode may already have restarted the run; run now rather than debounced.
        return effects.filter { if case .startRun = $0 { false } else { true } } + startRun(&state, debounce: false)
    case .cancelRun:
        guard state.job.isBusy else { return [] }
        state.job.runID += 1
        state.job.status = .cancelled
        state.status = StatusMessage(text: "run cancelled", isError: false)
        return [.cancelRun]
    case .engine(let runID, let event):
        guard runID == state.job.runID else { return [] }
        switch event {
        case .stage(let text):
            state.job.status = .running
            state.job.stage = text
        case .progress(let step, let total, let secondsPerStep):
            state.job.status = .running
            state.job.step = step
            state.job.total = total
            state.job.secondsPerStep = secondsPerStep
        case .preview(let picture):
            state.job.latent = picture
            state.job.latentRevision += 1
        case .attentionMap(let map):
            state.inspector.maps.removeAll {
                $0.kind == map.kind && $0.branch == map.branch && $0.step == map.step && $0.resolution == map.resolution
            }
            state.inspector.maps.append(map)
        case .summary(let text):
            state.job.summary = text
        case .finished(let picture):
            state.job.status = .finished
            state.job.result = picture
            state.job.step = state.job.total
            state.job.stage = nil
            if state.preview.mode == .source || state.preview.mode == .latent { state.preview.mode = .result }
        case .failed(let message):
            state.job.status = .failed(message)
            state.job.stage = nil
            state.status = StatusMessage(text: message, isError: true)
        case .cancelled:
            state.job.status = .cancelled
            state.job.stage = nil
        }
    default:
        break
    }
    return []
}
