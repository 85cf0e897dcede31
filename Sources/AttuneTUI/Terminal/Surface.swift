// An in-memory screen the panels draw into: styled cells plus the pictures to place over them. The curses
// layer copies it to the terminal; tests read its text directly.
import Foundation

public struct Cell: Equatable, Sendable {
    /// One grapheme; "" for the second column of a double-width character.
    public var text: String
    public var style: TextStyle
}

public struct Surface {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Pictures to draw over the cells (out of band: sixel or half-blocks).
    public var images: [ImagePlacement] = []
    /// Where the terminal cursor should show (a text field being edited), else hidden.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int, style: TextStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(text: " ", style: style), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    public mutating func fill(_ rect: Rect, style: TextStyle) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x] = Cell(text: " ", style: style) }
        }
    }

    /// Writes `text` from (x, y), clipped to `limit` columns and the surface; returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: TextStyle, limit: Int = .max) -> Int {
        guard y >= 0, y < height else { return 0 }
        var column = x
        let end = limit >= width - x ? width : x + max(0, limit)
        for character in text {
            let w = Self.displayWidth(character)
            guard column + w <= end else { break }
            if column >= 0 {
                cells[y * width + column] = Cell(text: String(character), style: style)
                if w == 2 { cells[y * width + column + 1] = Cell(text: "", style: style) }
            }
            column += w
        }
        return column - x
    }

    /// Writes `text` word-wrapped into `rect` (words wider than it are clipped); returns the rows used.
    @discardableResult
    public mutating func putWrapped(_ text: String, in rect: Rect, style: TextStyle) -> Int {
        guard !rect.isEmpty else { return 0 }
        var rows: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if let last = rows.last, Self.displayWidth(last) + 1 + Self.displayWidth(word) <= rect.width {
                rows[rows.count - 1] = last + " " + word
            } else {
                rows.append(word)
            }
        }
        for (i, row) in rows.prefix(rect.height).enumerated() { put(row, x: rect.x, y: rect.y + i, style: style, limit: rect.width) }
        return min(rows.count, rect.height)
    }

    /// A box-drawing border around `rect` with an optional title in the top edge.
    public mutating func box(_ rect: Rect, style: TextStyle, title: String? = nil, titleStyle: TextStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: rect.width - 2)
        put("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        put("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", x: rect.x, y: y, style: style)
            put("│", x: rect.maxX - 1, y: y, style: style)
        }
        if let title, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, limit: rect.width - 2)
        }
    }

    /// The text of row `y` (double-width characters once), for tests and captures.
    public func line(_ y: Int) -> String { (0..<width).map { cells[y * width + $0].text }.joined() }

    public var lines: [String] { (0..<height).map(line) }

    /// Columns a character takes in a terminal: 2 for East Asian wide and fullwidth characters and emoji
    /// (the ranges of Markus Kuhn's mk_wcwidth plus the emoji blocks), else 1. Independent of the C locale.
    public static func displayWidth(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        return v >= 0x1100 && wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// The display width of a string.
    public static func displayWidth(_ text: String) -> Int { text.reduce(0) { $0 + displayWidth($1) } }
}

/// A picture to show in `fit.cells`. `make(width, height)` builds it at the pixel size to encode, and only
/// when `key` (its content's identity) or the size changed since it was last drawn, so panels can describe
/// pictures every frame at no cost.
public struct ImagePlacement {
    public let key: String
    public let fit: ImageFit
    public let make: (Int, Int) -> Picture

    public init(key: String, fit: ImageFit, make: @escaping (Int, Int) -> Picture) {
        self.key = key
        self.fit = fit
        self.make = make
    }
}
