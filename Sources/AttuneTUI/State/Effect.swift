// Work the reducer asks the runtime to do (files, pictures, the engine); results come back as Actions.
import AttuneEditing
import Foundation

public enum Effect: Equatable, Sendable {
    case scanSources([URL])
    case loadPicture(URL)
    /// Start `record` as run `runID`, after the debounce when `debounce` is set; cancels any run in progress.
    case startRun(EditRecord, mask: MaskGrid?, runID: Int, debounce: Bool)
    case cancelRun
    /// Write the session record (and the mask beside it when one is drawn).
    case saveSession(URL, EditRecord, mask: MaskGrid?)
    case loadSession(URL)
    case exportResult(URL, Picture, EditRecord)
    case importMask(URL, width: Int, height: Int, fromSession: Bool)
    case exportMask(URL, MaskGrid, width: Int, height: Int)
    case rememberRecent(URL, isSession: Bool)
    case quit
}
