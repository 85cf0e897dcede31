// Pictures drawn out of band after curses has updated the text: DECSC, CUP to the picture's cell, the sixel
// or half-block bytes, DECRC (tui.md §1.1). A picture is sent again only when its content changed or curses
// repainted cells under it; when a picture moved, shrank or vanished the caller repaints everything, since
// curses does not know about pixels it did not draw (§1.4). A picture a popup covers, even in part, counts as
// vanished: curses skips popup cells it believes unchanged (a blank on the same colours), so only a repaint
// wipes the pixels there; the picture comes back when the popup closes.

final class ImageLayer {
    private let mode: GraphicsMode
    private let palette: HalfBlockRenderer.Palette
    /// What is on screen now: picture identity by the cells it covers.
    private var drawn: [Rect: String] = [:]
    /// Encoded pictures by identity: one sixel string, or one string per half-block row (positions are added when drawn).
    private var cache: [(id: String, lines: [[UInt8]])] = []
    private static let cacheLimit = 16
    /// An encoding failure not yet reported.
    private var lastError: String?

    struct Plan: Equatable {
        var bytes: [UInt8]
        /// Pictures vanished or moved: repaint the text everywhere, then plan again with `repainted`.
        var needsRepaint: Bool
    }

    init(mode: GraphicsMode, palette: HalfBlockRenderer.Palette) {
        self.mode = mode
        self.palette = palette
    }

    /// The encoding failure since the last call, for the status line.
    func takeError() -> String? {
        defer { lastError = nil }
        return lastError
    }

    /// After a resize nothing drawn before is where it was.
    func forget() { drawn = [:] }

    func plan(_ placements: [ImagePlacement], surface: Surface, previous: Surface?, overlay: Rect?, repainted: Bool) -> Plan {
        guard mode != .none else { return Plan(bytes: [], needsRepaint: false) }
        var next: [Rect: String] = [:]
        var visible: [ImagePlacement] = []
        for placement in placements {
            let cells = placement.fit.cells
            if let overlay, cells.intersects(overlay) { continue }
            next[cells] = Self.identity(placement)
            visible.append(placement)
        }
        if !repainted && drawn.keys.contains(where: { next[$0] == nil }) { return Plan(bytes: [], needsRepaint: true) }
        var bytes: [UInt8] = []
        for placement in visible {
            let cells = placement.fit.cells
            let unchanged = drawn[cells] == Self.identity(placement) && !Self.cellsChanged(cells, previous, surface)
            if repainted || !unchanged { bytes += blit(placement) }
        }
        drawn = next
        return Plan(bytes: bytes, needsRepaint: false)
    }

    private static func identity(_ placement: ImagePlacement) -> String {
        "\(placement.key)@\(placement.fit.pixelWidth)x\(placement.fit.pixelHeight)"
    }

    /// Whether curses will have rewritten any cell under the picture.
    private static func cellsChanged(_ rect: Rect, _ previous: Surface?, _ surface: Surface) -> Bool {
        guard let previous, previous.width == surface.width, previous.height == surface.height else { return true }
        for y in max(0, rect.y)..<min(surface.height, rect.maxY) {
            for x in max(0, rect.x)..<min(surface.width, rect.maxX) where previous[x, y] != surface[x, y] { return true }
        }
        return false
    }

    private func blit(_ placement: ImagePlacement) -> [UInt8] {
        let id = Self.identity(placement)
        let lines: [[UInt8]]
        if let hit = cache.first(where: { $0.id == id }) {
            lines = hit.lines
        } else {
            let fit = placement.fit
            lines = encode(placement.make(fit.pixelWidth, fit.pixelHeight).resized(width: fit.pixelWidth, height: fit.pixelHeight))
            cache.append((id, lines))
            if cache.count > Self.cacheLimit { cache.removeFirst() }
        }
        guard !lines.isEmpty else { return [] }
        // CUP is 1-based; each line starts one row further down (a sixel string is one line).
        let cells = placement.fit.cells
        let body = lines.enumerated().flatMap { row, line in Array("\u{1B}[\(cells.y + row + 1);\(cells.x + 1)H".utf8) + line }
        return Array("\u{1B}7".utf8) + body + Array("\u{1B}8".utf8)
    }

    private func encode(_ picture: Picture) -> [[UInt8]] {
        switch mode {
        case .sixel:
            do {
                return [try SixelEncoder.encode(picture)]
            } catch {
                lastError = error.localizedDescription
                return []
            }
        case .halfblocks:
            return HalfBlockRenderer.rows(picture, palette: palette).map { Array($0.utf8) }
        case .none:
            return []
        }
    }
}
