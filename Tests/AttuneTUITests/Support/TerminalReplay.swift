// A small terminal for tests: a grid of cells that takes the workbench's own output (the Surface's text as
// curses would put it, then the ImageLayer's out-of-band bytes) and records where pictures landed and whether
// anything made the screen scroll. It understands what ImageLayer emits: DECSC/DECRC (ESC 7, ESC 8), CUP
// (CSI row;col H), SGR (ignored), UTF-8 text with autowrap, and sixel DCS strings, whose raster attributes
// ("Pan;Pad;Ph;Pv) give the pixel size they cover from the cursor's cell.
@testable import AttuneTUI

struct TerminalReplay {
    let width: Int
    let height: Int
    let cell: CellSize
    private(set) var text: [[String]]
    /// Cells a picture (half-block or sixel) covered.
    private(set) var pictureCells = Set<[Int]>()
    /// Lines the screen scrolled up by (text or a picture written past the last row).
    private(set) var scrolls = 0
    private var cursor = (x: 0, y: 0)
    private var saved = (x: 0, y: 0)
    /// Autowrap is pending after a character in the last column (xterm's "wrap flag").
    private var pendingWrap = false

    init(_ surface: Surface, cell: CellSize = .fallback) {
        width = surface.width
        height = surface.height
        self.cell = cell
        text = (0..<surface.height).map { y in (0..<surface.width).map { surface[$0, y].text } }
    }

    mutating func apply(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x1B, i + 1 < bytes.count {
                switch bytes[i + 1] {
                case UInt8(ascii: "7"): saved = cursor; i += 2; continue
                case UInt8(ascii: "8"): cursor = saved; pendingWrap = false; i += 2; continue
                case UInt8(ascii: "["):
                    var j = i + 2
                    while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                    if j < bytes.count, bytes[j] == UInt8(ascii: "H") {
                        let numbers = String(decoding: bytes[(i + 2)..<j], as: UTF8.self).split(separator: ";").map { Int($0) ?? 1 }
                        cursor = (min(max((numbers.count > 1 ? numbers[1] : 1) - 1, 0), width - 1), min(max((numbers.first ?? 1) - 1, 0), height - 1))
                        pendingWrap = false
                    }
                    i = j + 1
                    continue
                case UInt8(ascii: "P"):
                    var j = i + 2
                    while j + 1 < bytes.count, !(bytes[j] == 0x1B && bytes[j + 1] == UInt8(ascii: "\\")) { j += 1 }
                    sixel(Array(bytes[(i + 2)..<j]))
                    i = j + 2
                    continue
                default: i += 2; continue
                }
            }
            // One UTF-8 character.
            var length = 1
            if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 }
            let character = String(decoding: bytes[i..<min(i + length, bytes.count)], as: UTF8.self)
            i += length
            if byte == 0x0A { lineFeed(); continue }
            if byte == 0x0D { cursor.x = 0; pendingWrap = false; continue }
            put(character)
        }
    }

    private mutating func put(_ character: String) {
        if pendingWrap {
            cursor.x = 0
            lineFeed()
            pendingWrap = false
        }
        text[cursor.y][cursor.x] = character
        if character == "▀" { pictureCells.insert([cursor.x, cursor.y]) }
        if cursor.x == width - 1 { pendingWrap = true } else { cursor.x += 1 }
    }

    private mutating func lineFeed() {
        if cursor.y == height - 1 {
            scrolls += 1
            text.removeFirst()
            text.append(Array(repeating: " ", count: width))
        } else {
            cursor.y += 1
        }
    }

    /// A sixel image drawn from the cursor; the cursor ends on the row of its last band (sixel scrolling mode).
    private mutating func sixel(_ body: [UInt8]) {
        guard let quote = body.firstIndex(of: UInt8(ascii: "\"")) else { return }
        var end = quote + 1
        while end < body.count, (0x30...0x3B).contains(body[end]) { end += 1 }
        let numbers = String(decoding: body[(quote + 1)..<end], as: UTF8.self).split(separator: ";").compactMap { Int($0) }
        guard numbers.count == 4 else { return }
        let columns = (numbers[2] + cell.width - 1) / cell.width, rows = (numbers[3] + cell.height - 1) / cell.height
        for y in cursor.y..<(cursor.y + rows) {
            for x in cursor.x..<min(cursor.x + columns, width) { pictureCells.insert([x, min(y, height - 1)]) }
        }
        // The last band's row must exist: drawing below the last row scrolls the screen.
        let lastRow = cursor.y + (numbers[3] - 1) / cell.height
        if lastRow >= height { scrolls += lastRow - height + 1 }
    }

    var lines: [String] { text.map { $0.joined() } }
}
