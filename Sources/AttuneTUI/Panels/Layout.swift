// Where the six panels go on the screen. The last row is the status line and the one above it the progress
// bar, so no panel (and no picture) ever touches the last row.

public struct Layout: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let panels: [PanelID: Rect]
    public let progressRow: Int
    public let statusRow: Int

    /// Screens narrower than this, or too short, show only the focused panel.
    public static let minimumWidth = 80
    public static let minimumHeight = 12

    public static func compute(width: Int, height: Int, focus: PanelID, zoomed: Bool) -> Layout {
        let area = Rect(x: 0, y: 0, width: width, height: max(0, height - 2))
        var panels: [PanelID: Rect] = [:]
        if zoomed || width < minimumWidth || height < minimumHeight {
            for panel in PanelID.allCases { panels[panel] = Rect(x: 0, y: 0, width: 0, height: 0) }
            panels[focus] = area
        } else {
            let leftWidth = min(max(width * 24 / 100, 22), 40)
            let rightWidth = min(max(width * 30 / 100, 34), 48)
            let (left, rest) = area.splitLeft(leftWidth)
            let (middle, right) = rest.splitLeft(rest.width - rightWidth)
            let (source, prompts) = left.splitTop(left.height * 45 / 100)
            let (preview, bottom) = middle.splitTop(middle.height * 55 / 100)
            let (inspector, mask) = bottom.splitLeft(bottom.width / 2)
            panels = [.source: source, .prompts: prompts, .parameters: right, .preview: preview, .inspector: inspector, .mask: mask]
        }
        return Layout(width: width, height: height, panels: panels, progressRow: max(0, height - 2), statusRow: max(0, height - 1))
    }

    /// The panel under a cell, if any.
    public func panel(atX x: Int, y: Int) -> PanelID? {
        PanelID.allCases.first { panels[$0]?.contains(x: x, y: y) == true }
    }
}
