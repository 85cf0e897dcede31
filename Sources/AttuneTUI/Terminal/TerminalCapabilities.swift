// What the terminal can show, decided from its answers to DA1 / XTSMGRAPHICS / CSI 16t, the window size in
// pixels (TIOCGWINSZ) and the environment (TMUX, COLORTERM, NO_COLOR). Pure, so every rule is testable;
// TerminalProbe gathers the answers.

public struct TerminalReplies: Equatable, Sendable {
    /// Primary device attributes (`CSI ? Ps ; … c`): 4 means sixel graphics.
    public var deviceAttributes: [Int]?
    /// XTSMGRAPHICS sixel geometry (`CSI ? 2 ; 0 ; W ; H S`): the largest sixel picture, in pixels.
    public var sixelGeometry: (width: Int, height: Int)?
    /// `CSI 6 ; H ; W t`: the cell size in pixels.
    public var cellSize: CellSize?

    public init(deviceAttributes: [Int]? = nil, sixelGeometry: (width: Int, height: Int)? = nil, cellSize: CellSize? = nil) {
        self.deviceAttributes = deviceAttributes
        self.sixelGeometry = sixelGeometry
        self.cellSize = cellSize
    }

    public static func == (a: TerminalReplies, b: TerminalReplies) -> Bool {
        a.deviceAttributes == b.deviceAttributes && a.sixelGeometry?.width == b.sixelGeometry?.width
            && a.sixelGeometry?.height == b.sixelGeometry?.height && a.cellSize == b.cellSize
    }

    /// Picks the replies out of whatever the terminal sent back.
    public static func parse(_ bytes: [UInt8]) -> TerminalReplies {
        var replies = TerminalReplies()
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "[") else {
                i += 1
                continue
            }
            var j = i + 2
            let isPrivate = j < bytes.count && bytes[j] == UInt8(ascii: "?")
            if isPrivate { j += 1 }
            let start = j
            while j < bytes.count, (0x30...0x3F).contains(bytes[j]) { j += 1 }
            guard j < bytes.count else { break }
            let numbers = String(decoding: bytes[start..<j], as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
                .map { Int($0) ?? 0 }
            switch (isPrivate, bytes[j]) {
            case (true, UInt8(ascii: "c")):
                replies.deviceAttributes = numbers
            case (true, UInt8(ascii: "S")) where numbers.count >= 4 && numbers[0] == 2 && numbers[1] == 0:
                replies.sixelGeometry = (numbers[2], numbers[3])
            case (false, UInt8(ascii: "t")) where numbers.count >= 3 && numbers[0] == 6 && numbers[1] > 0 && numbers[2] > 0:
                replies.cellSize = CellSize(width: numbers[2], height: numbers[1])
            default:
                break
            }
            i = j + 1
        }
        return replies
    }
}

/// The terminal's size from TIOCGWINSZ.
public struct WindowSize: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    public var pixelWidth: Int
    public var pixelHeight: Int
    public init(columns: Int, rows: Int, pixelWidth: Int, pixelHeight: Int) {
        self.columns = columns
        self.rows = rows
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
    }
}

public struct TerminalCapabilities: Equatable, Sendable {
    public var graphics: GraphicsMode
    public var cellSize: CellSize
    /// 24-bit colour for half-block pictures (COLORTERM=truecolor/24bit); else the 256-colour cube.
    public var truecolor: Bool
    /// NO_COLOR is set and not empty: the interface uses no colour (pictures still do: they are content).
    public var noColor: Bool
    public var inTmux: Bool

    public static func decide(
        replies: TerminalReplies?, window: WindowSize?, environment: [String: String], override: GraphicsMode?,
        configuredCellSize: CellSize?
    ) -> TerminalCapabilities {
        let inTmux = !(environment["TMUX"] ?? "").isEmpty || (environment["TERM"] ?? "").hasPrefix("tmux")
        let sixel = replies?.deviceAttributes?.dropFirst().contains(4) == true
        let graphics = override ?? (sixel ? .sixel : .halfblocks)
        // tmux invents a pixel size (16x32 per cell), so only trust TIOCGWINSZ outside it.
        var cell: CellSize?
        if let window, !inTmux, window.pixelWidth > 0, window.pixelHeight > 0, window.columns > 0, window.rows > 0 {
            cell = CellSize(width: window.pixelWidth / window.columns, height: window.pixelHeight / window.rows)
        }
        cell = cell ?? replies?.cellSize
        if cell == nil, let geometry = replies?.sixelGeometry, let window, window.columns > 0, window.rows > 0 {
            cell = CellSize(width: geometry.width / window.columns, height: geometry.height / window.rows)
        }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        return TerminalCapabilities(
            graphics: graphics, cellSize: cell.flatMap { $0.width > 0 && $0.height > 0 ? $0 : nil } ?? configuredCellSize ?? .fallback,
            truecolor: colorterm == "truecolor" || colorterm == "24bit", noColor: !(environment["NO_COLOR"] ?? "").isEmpty,
            inTmux: inTmux)
    }

    /// One line for the log / status at start-up.
    public var summary: String {
        "graphics \(graphics.rawValue), cell \(cellSize.width)x\(cellSize.height) px, \(noColor ? "no colour" : truecolor ? "truecolor" : "256 colours")\(inTmux ? ", in tmux" : "")"
    }
}
