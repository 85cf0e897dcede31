// What panels need besides the state to draw and to interpret keys: theme, keymap, how pictures are shown,
// and the tokenizer (injected by the executable; absent in builds without a model).

public struct WorkbenchContext {
    public var theme: Theme
    public var keymap: Keymap
    public var graphics: GraphicsMode
    public var cellSize: CellSize
    public var screenRows: Int
    /// The prompt's CLIP tokens as the text encoder sees them, BOS first, so a token's position is its index
    /// in the attention maps. nil when no tokenizer is available.
    public var tokenize: ((String) -> [String])?

    public init(
        theme: Theme, keymap: Keymap = Keymap(), graphics: GraphicsMode, cellSize: CellSize = .fallback,
        screenRows: Int, tokenize: ((String) -> [String])?
    ) {
        self.theme = theme
        self.keymap = keymap
        self.graphics = graphics
        self.cellSize = cellSize
        self.screenRows = screenRows
        self.tokenize = tokenize
    }

    public func style(_ key: StyleKey) -> TextStyle { theme.style(key) }

    public func tokens(_ text: String) -> [String] { tokenize?(text) ?? [] }

    /// Where a `width`×`height` picture goes inside `area`.
    public func fit(width: Int, height: Int, in area: Rect) -> ImageFit? {
        ImageFit.fit(width: width, height: height, in: area, screenRows: screenRows, mode: graphics, cell: cellSize)
    }
}
