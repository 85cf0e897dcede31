// A prompt as the SD 1.x text encoder takes it: 77 ids, framed and padded, plus what truncation cut off.

public struct TokenizedPrompt: Sendable, Equatable {
    /// Always `CLIPTokenizer.maxLength` (77) ids: start, at most 75 content ids, end, then end ids as padding.
    public let ids: [Int32]
    /// The kept content tokens as readable text (decoded bytes, "</w>" removed), one per content id.
    public let tokens: [String]
    /// Content tokens cut off by truncation (0 if none).
    public let droppedTokenCount: Int

    public init(ids: [Int32], tokens: [String], droppedTokenCount: Int) {
        self.ids = ids
        self.tokens = tokens
        self.droppedTokenCount = droppedTokenCount
    }

    /// "prompt truncated: N tokens dropped" when truncation removed tokens, for the CLI and TUI to show.
    public var truncationWarning: String? {
        guard droppedTokenCount > 0 else { return nil }
        return "prompt truncated: \(droppedTokenCount) token\(droppedTokenCount == 1 ? "" : "s") dropped"
    }
}
