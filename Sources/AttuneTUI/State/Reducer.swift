// The only mutator of AppState: applies one Action and returns the Effects the runtime must carry out.
// Pure: no I/O, no clocks, no randomness (random seeds arrive inside actions).
import AttuneEditing
import Foundation

@discardableResult
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .focus(let panel):
        let effects = finishEditingIfNeeded(&state)
        state.focus = panel
        return effects
    case .focusNext, .focusPrevious:
        let all = PanelID.allCases
        let index = all.firstIndex(of: state.focus) ?? 0
        let next = all[(index + (action == .focusNext ? 1 : all.count - 1)) % all.count]
        return reduce(&state, .focus(next))
    case .toggleZoom:
        state.zoomed.toggle()
    case .showHelp:
        state.overlay = .help(scroll: 0)
    case .scrollHelp(let delta):
        if case .help(let scroll) = state.overlay { state.overlay = .help(scroll: max(0, scroll + delta)) }
    case .closeOverlay:
        state.overlay = nil
        state.quitAfterSave = false
    case .requestQuit:
        if state.session.dirty {
            state.overlay = .confirmQuit
        } else {
            state.quit = true
            return [.cancelRun, .quit]
        }
    case .confirmQuit(let saveFirst):
        state.overlay = nil
        guard saveFirst else {
            state.quit = true
            return [.cancelRun, .quit]
        }
        state.quitAfterSave = true
        return reduce(&state, .saveSession)
    case .setStatus(let text, let isError):
        state.status = StatusMessage(text: text, isError: isError)
    case .clearStatus:
        state.status = nil

    case .moveBrowser, .selectBrowserEntry, .chooseSelectedSource, .useSelectedPicture, .rescanSources, .browserEntries, .pictureLoaded,
        .pictureFailed:
        return reduceSource(&state, action)
    case .selectPrompt, .movePrompt, .beginEditing, .finishEditing, .edit, .selectToken:
        return reducePrompts(&state, action)
    case .moveParameter, .selectParameter, .adjustParameter, .resetParameter, .setSeed, .beginNumericEntry,
        .commitNumericEntry, .cancelNumericEntry, .toggleLive:
        return reduceParameters(&state, action)
    case .setPreviewMode, .moveWipe, .toggleAttentionKind, .cycleResolution, .moveInspectorStep, .moveInspectorPixel,
        .setInspectorPixel:
        reduceViews(&state, action)
    case .moveMaskCursor, .stampMask, .togglePen, .toggleMaskTool, .resizeBrush, .changeFeatherRadius, .fillMask,
        .invertMask, .clearMask, .featherMask, .undoMask, .maskFromToken, .strokeMask, .endMaskStroke, .maskLoaded:
        return reduceMask(&state, action)
    case .openDialog, .moveDialogSelection, .submitDialog, .saveSession, .sessionSaved, .saveFailed, .sessionLoaded,
        .sessionRestored, .resultExported, .recentFiles:
        return reduceSession(&state, action)
    case .run, .cancelRun, .engine:
        return reduceRun(&state, action)
    }
    return []
}

/// Records that an edit setting changed: dirty for quitting, a new revision for autosave, and in live mode
/// a debounced restart of the run.
func settingsChanged(_ state: inout AppState) -> [Effect] {
    state.session.dirty = true
    state.session.revision += 1
    guard state.live && state.job.hasRun else { return [] }
    return startRun(&state, debounce: true)
}

/// Starts a new run of the current record (cancelling the one in progress), unless the record is incomplete.
func startRun(_ state: inout AppState, debounce: Bool) -> [Effect] {
    let record = state.record
    let mask = state.mask.grid.isEmpty ? nil : state.mask.grid
    if let blocker = runBlocker(record, drawnMask: mask != nil) {
        state.status = StatusMessage(text: "cannot run: \(blocker)", isError: true)
        if state.job.isBusy {
            state.job.runID += 1
            state.job.status = .cancelled
            return [.cancelRun]
        }
        return []
    }
    state.job.runID += 1
    state.job.status = .scheduled
    state.job.hasRun = true
    state.job.step = 0
    state.job.total = record.steps
    state.job.secondsPerStep = nil
    state.job.stage = nil
    state.job.summary = nil
    state.inspector.maps = []
    state.status = nil
    return [.startRun(record, mask: mask, runID: state.job.runID, debounce: debounce)]
}
