// Where a picture goes inside a panel: scaled to fit while keeping its aspect ratio, centred, never on the
// screen's last row (a sixel band there scrolls the whole xterm screen, tui.md §1.3), sixel heights a
// multiple of 6 (one sixel band) so no partial band is drawn below the picture.

/// How pictures reach the terminal.
public enum GraphicsMode: String, CaseIterable, Sendable {
    case sixel
    case halfblocks
    case none
}

/// A terminal cell's size in pixels.
public struct CellSize: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    /// Used when the terminal does not say (a common 10x20 font cell).
    public static let fallback = CellSize(width: 10, height: 20)
}

public struct ImageFit: Equatable, Sendable {
    /// The cells the picture covers.
    public let cells: Rect
    /// The size to encode the picture at, in pixels (half-blocks: one pixel per column, two per row).
    public let pixelWidth: Int
    public let pixelHeight: Int

    public static func fit(
        width pictureWidth: Int, height pictureHeight: Int, in area: Rect, screenRows: Int,
        mode: GraphicsMode, cell: CellSize
    ) -> ImageFit? {
        guard mode != .none, pictureWidth > 0, pictureHeight > 0 else { return nil }
        let usable = Rect(x: area.x, y: area.y, width: area.width, height: min(area.height, screenRows - 1 - area.y))
        guard !usable.isEmpty else { return nil }
        let (cellWidth, cellHeight) = mode == .sixel ? (cell.width, cell.height) : (1, 2)
        let availableWidth = Double(usable.width * cellWidth)
        let availableHeight = Double(usable.height * cellHeight)
        let scale = min(availableWidth / Double(pictureWidth), availableHeight / Double(pictureHeight))
        var width = max(1, Int(Double(pictureWidth) * scale))
        var height = max(1, Int(Double(pictureHeight) * scale))
        if mode == .sixel && height >= 6 && height % 6 != 0 {
            // Whole bands only; the width follows so the picture keeps its aspect ratio.
            height -= height % 6
            width = max(1, Int((Double(height) * Double(pictureWidth) / Double(pictureHeight)).rounded()))
        }
        width = min(width, Int(availableWidth))
        height = min(height, Int(availableHeight))
        let columns = (width + cellWidth - 1) / cellWidth
        let rows = (height + cellHeight - 1) / cellHeight
        let cells = Rect(
            x: usable.x + (usable.width - columns) / 2, y: usable.y + (usable.height - rows) / 2,
            width: columns, height: rows)
        return ImageFit(cells: cells, pixelWidth: width, pixelHeight: height)
    }
}
