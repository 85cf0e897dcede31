// Everything that can change the workbench state: produced by key bindings, mouse handlers, the engine
// (through the mailbox) and the results of effects. `reduce` applies them.
import AttuneEditing
import Foundation

public enum Action: Equatable, Sendable {
    // Focus, layout, overlays.
    case focus(PanelID)
    case focusNext, focusPrevious, toggleZoom
    case showHelp
    case scrollHelp(Int)
    case closeOverlay
    case requestQuit
    case confirmQuit(saveFirst: Bool)
    case setStatus(String, isError: Bool)
    case clearStatus

    // Source picker.
    case moveBrowser(Int)
    case selectBrowserEntry(Int)
    case chooseSelectedSource
    /// The selected picture becomes (or, pressed again, stops being) MCA-Ctrl's subject or the adapter's condition.
    case useSelectedPicture(as: PictureRole)
    case rescanSources
    case browserEntries([URL])
    case pictureLoaded(URL, Picture)
    case pictureFailed(URL, String)

    // Prompts and text fields.
    case selectPrompt(PromptField)
    case movePrompt(Int)
    case beginEditing
    case finishEditing
    case edit(TextField.Edit)
    case selectToken(TokenSelection?)

    // Method & parameters.
    case moveParameter(Int)
    case selectParameter(Int)
    case adjustParameter(Int, coarse: Bool)
    case resetParameter
    case setSeed(UInt64)
    case beginNumericEntry
    case commitNumericEntry
    case cancelNumericEntry
    case toggleLive

    // Preview and attention inspector.
    case setPreviewMode(PreviewMode)
    case moveWipe(Double)
    case toggleAttentionKind
    case cycleResolution(Int)
    case moveInspectorStep(Int)
    case moveInspectorPixel(dx: Int, dy: Int)
    case setInspectorPixel(x: Double, y: Double)

    // Mask editor.
    case moveMaskCursor(dx: Int, dy: Int)
    case stampMask
    case togglePen
    case toggleMaskTool
    case resizeBrush(Int)
    case changeFeatherRadius(Int)
    case fillMask, invertMask, clearMask, featherMask, undoMask
    case maskFromToken
    /// Mouse painting, in mask cells.
    case strokeMask(x: Double, y: Double)
    case endMaskStroke
    /// A mask file was read: imported by the user, or the mask a loaded session names (which changes nothing).
    case maskLoaded(MaskGrid, fromSession: Bool)

    // Path dialogs and sessions.
    case openDialog(PathDialog.Purpose)
    case moveDialogSelection(Int)
    case submitDialog
    case saveSession
    case sessionSaved(URL)
    case saveFailed(String)
    case sessionLoaded(URL, EditRecord)
    /// The autosaved state of the last run of the workbench, restored at start-up.
    case sessionRestored(EditRecord)
    case resultExported(URL)
    case recentFiles(sessions: [URL], images: [URL])

    // Runs.
    case run
    case cancelRun
    case engine(runID: Int, EngineEvent)
}
