// Popups drawn over the panels: the help (generated from the key binding tables), the quit confirmation,
// and the path prompt for saving, loading, importing and exporting.
import Foundation

enum Overlays {
    /// A centred box of at most `width`×`height` cells, cleared and framed; returns its inside.
    static func box(title: String, width: Int, height: Int, layout: Layout, into surface: inout Surface, context: WorkbenchContext) -> Rect {
        let w = min(width, layout.width - 2), h = min(height, layout.height - 2)
        let rect = Rect(x: (layout.width - w) / 2, y: max(0, (layout.height - 2 - h) / 2), width: w, height: h)
        surface.fill(rect, style: context.style(.popup))
        surface.box(rect, style: context.style(.popupBorder), title: title, titleStyle: context.style(.popupTitle))
        return rect.inset(1)
    }

    /// The help text: one section per binding table, keys as the keymap has them.
    static func helpLines(sections: [(title: String, scope: String, bindings: [KeyBinding])], keymap: Keymap) -> [String] {
        var lines: [String] = []
        for section in sections {
            lines.append("\(section.title)  [\(section.scope)]")
            for binding in section.bindings {
                let keys = keymap.keys(for: binding, scope: section.scope).map(\.label).joined(separator: " ")
                lines.append("  " + keys.padding(toLength: max(14, keys.count), withPad: " ", startingAt: 0) + "  " + binding.description)
            }
            lines.append("")
        }
        return lines
    }

    static func renderHelp(lines: [String], scroll: Int, layout: Layout, into surface: inout Surface, context: WorkbenchContext) -> Rect {
        let inner = box(title: "Keys — Esc closes, ↑/↓ scroll", width: 76, height: layout.height - 2, layout: layout, into: &surface, context: context)
        let first = min(scroll, max(0, lines.count - inner.height))
        for (i, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let isTitle = !line.hasPrefix(" ") && !line.isEmpty
            surface.put(line, x: inner.x + 1, y: inner.y + i, style: context.style(isTitle ? .popupTitle : .popup), limit: inner.width - 1)
        }
        return inner.inset(-1)
    }

    static func renderConfirmQuit(layout: Layout, into surface: inout Surface, context: WorkbenchContext) -> Rect {
        let inner = box(title: "Unsaved changes", width: 50, height: 6, layout: layout, into: &surface, context: context)
        surface.put("The session has changes that are not saved.", x: inner.x + 1, y: inner.y, style: context.style(.popup), limit: inner.width - 1)
        var x = inner.x + 1
        for (key, text) in [("s", " save and quit   "), ("y", " quit   "), ("n", " stay")] {
            x += surface.put(key, x: x, y: inner.y + 2, style: context.style(.popup).patched(with: context.style(.hintKey)))
            x += surface.put(text, x: x, y: inner.y + 2, style: context.style(.popup))
        }
        return inner.inset(-1)
    }

    static func renderPathDialog(_ dialog: PathDialog, layout: Layout, into surface: inout Surface, context: WorkbenchContext) -> Rect {
        let recentRows = min(dialog.recent.count, 8)
        let inner = box(title: dialog.purpose.title, width: 70, height: 5 + (recentRows > 0 ? recentRows + 1 : 0), layout: layout, into: &surface, context: context)
        surface.put("path (Enter accepts, Esc cancels):", x: inner.x + 1, y: inner.y, style: context.style(.popup), limit: inner.width - 1)
        surface.cursor = TextFieldView.draw(dialog.field, x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, style: context.style(.fieldActive), editing: true, into: &surface)
        if recentRows > 0 {
            surface.put("recent (↑/↓):", x: inner.x + 1, y: inner.y + 3, style: context.style(.popupTitle), limit: inner.width - 1)
            for (i, url) in dialog.recent.prefix(recentRows).enumerated() {
                let style = context.style(i == dialog.selection ? .selectionActive : .popup)
                surface.put(url.path, x: inner.x + 1, y: inner.y + 4 + i, style: style, limit: inner.width - 2)
            }
        }
        return inner.inset(-1)
    }
}
