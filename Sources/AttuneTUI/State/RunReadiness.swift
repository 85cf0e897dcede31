// Whether the edit can run, checked before a run starts, and what is missing said in the workbench's terms:
// which panel and key supplies it. The record's own validation decides; the inputs only some method layouts
// need (MCA-Ctrl's edit region, its token in generation) are checked here too, so the user hears about them
// at once rather than from the engine after the model has loaded.
import AttuneEditing
import Foundation

/// Why `record` cannot run, or nil when it can. `drawnMask`: the mask editor holds a mask, which becomes the
/// record's mask file only when the run starts.
func runBlocker(_ record: EditRecord, drawnMask: Bool) -> String? {
    var checked = record
    if drawnMask && checked.mask == nil { checked.mask = URL(fileURLWithPath: "drawn-mask.png") }
    do {
        try checked.validate()
    } catch EditRecordError.missing(let key, let reason) {
        return missingInputHint(key) ?? "missing \(key): \(reason)"
    } catch {
        return error.localizedDescription
    }
    guard checked.method == .mcactrl else { return nil }
    let generating = checked.variant == "generate" || (checked.variant == nil && checked.sourceImage == nil)
    if generating && checked.maskToken == nil { return missingInputHint("[mask] token") }
    if !generating && checked.mask == nil { return missingInputHint("[mask] path") }
    return nil
}

/// Where the workbench supplies each input a record can lack.
private func missingInputHint(_ key: String) -> String? {
    switch key {
    case "[source] image or seed": "no source: pick a picture in 1 Source (Enter)"
    case "[prompts] target": "no target prompt: type it in 2 Prompts (j to the target row, Enter)"
    case "[subject] image": "MCA-Ctrl takes its subject from a picture: select it in 1 Source and press u"
    case "[mask] path (MaSaFusion's A)": "MaSaFusion edits inside a mask: draw one in 6 Mask editor, or pick a token (2) and press t there"
    case "[mask] path": "MCA-Ctrl replaces inside a region: draw it in 6 Mask editor (or variant generate in 3)"
    case "[mask] token": "MCA-Ctrl generation places the subject by a target token: pick it in 2 Prompts (←/→), then t in 6"
    case "[adapter] path": "a condition picture needs T2I-Adapter weights: type its path on the adapter weights row of 3 (Enter)"
    default: nil
    }
}
