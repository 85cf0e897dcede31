// What the executable plugs into the workbench: the engine, the tokenizer and PNG reading/writing.
// Any of them may be missing (this build has no engine yet); the workbench then says so in the status line.

public struct WorkbenchServices: Sendable {
    public var engine: (any WorkbenchEngine)?
    /// CLIP tokens of a prompt, BOS first (see WorkbenchContext.tokenize).
    public var tokenize: (@Sendable (String) -> [String])?
    public var pictures: PictureIO?
    public var attuneVersion: String?

    public init(
        engine: (any WorkbenchEngine)? = nil, tokenize: (@Sendable (String) -> [String])? = nil, pictures: PictureIO? = nil,
        attuneVersion: String? = nil
    ) {
        self.engine = engine
        self.tokenize = tokenize
        self.pictures = pictures
        self.attuneVersion = attuneVersion
    }

    public static let engineUnavailable = "engine not available in this build"
}
