// The edit record the workbench state describes, and the state a loaded record gives.
import AttuneEditing
import Foundation

extension AppState {
    /// The settings with the prompts as typed, the chosen source picture and the checkpoint that runs it (so a
    /// saved session replays on the same model).
    public var record: EditRecord {
        var record = settings
        record.model = commandLineModel ?? settings.model ?? configuredModel
        record.sourceImage = browser.chosen
        record.sourcePrompt = prompts.text(.source)
        record.targetPrompt = prompts.text(.target)
        record.negativePrompt = prompts.text(.negative)
        let subject = prompts.text(.subject)
        record.subjectPrompt = settings.method == .mcactrl || !subject.isEmpty ? subject : nil
        return record
    }

    /// Takes every setting from `record` (a loaded session); the mask file, if any, is read separately.
    public mutating func apply(_ record: EditRecord) {
        settings = record
        browser.chosen = record.sourceImage
        for (field, text) in [
            (PromptField.source, record.sourcePrompt), (.target, record.targetPrompt), (.negative, record.negativePrompt),
            (.subject, record.subjectPrompt ?? ""),
        ] {
            prompts.fields[field]?.setText(text)
        }
        parameterRow = min(parameterRow, parameterRows.count - 1)
        mask.grid = MaskGrid(width: Self.maskSide(record.width), height: Self.maskSide(record.height))
        mask.cursor = (mask.grid.width / 2, mask.grid.height / 2)
        mask.undo = []
        mask.revision += 1
    }

    /// Mask cells per image side: one per latent pixel.
    static func maskSide(_ pixels: Int) -> Int { max(1, pixels / 8) }
}
