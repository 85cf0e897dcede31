// Panel 1, Source: the pictures under Samples/ and the command line's directories; Enter makes the selected
// one the picture to edit, shown below the list; u and c make it MCA-Ctrl's subject or MaSaFusion's condition.
import Foundation

public struct SourcePanel: Panel {
    public let id = PanelID.source

    public var bindings: [KeyBinding] {
        [
            KeyBinding("up", keys("up", "k"), "previous picture", .moveBrowser(-1)),
            KeyBinding("down", keys("down", "j"), "next picture", .moveBrowser(1)),
            KeyBinding("page-up", keys("pageup"), "ten pictures up", .moveBrowser(-10)),
            KeyBinding("page-down", keys("pagedown"), "ten pictures down", .moveBrowser(10)),
            KeyBinding("choose", keys("enter", "space"), "edit this picture", hint: true, .chooseSelectedSource),
            KeyBinding("subject", keys("u"), "MCA-Ctrl's subject picture (again: none)", hint: true, .useSelectedPicture(as: .subject)),
            KeyBinding("condition", keys("c"), "MaSaFusion's condition sketch (again: none)", .useSelectedPicture(as: .condition)),
            KeyBinding("rescan", keys("R"), "look for new pictures", .rescanSources),
        ]
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        let list = listArea(rect.inset(1), count: state.browser.entries.count)
        guard event.kind == .press, list.contains(x: event.x, y: event.y) else {
            if event.kind == .scrollUp { return [.moveBrowser(-1)] }
            if event.kind == .scrollDown { return [.moveBrowser(1)] }
            return []
        }
        let index = scrollOffset(state, rows: list.height) + event.y - list.y
        guard index < state.browser.entries.count else { return [] }
        return [.selectBrowserEntry(index), .chooseSelectedSource]
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context, detail: "\(state.browser.entries.count) pictures")
        guard !inner.isEmpty else { return }
        let entries = state.browser.entries
        let list = listArea(inner, count: entries.count)
        if entries.isEmpty {
            let places = state.browser.directories.map(\.lastPathComponent).joined(separator: ", ")
            surface.put("no .png files in \(places.isEmpty ? "any directory" : places)", x: list.x, y: list.y, style: context.style(.textDim), limit: list.width)
        }
        let offset = scrollOffset(state, rows: list.height)
        for row in 0..<list.height where offset + row < entries.count {
            let index = offset + row
            let url = entries[index]
            let selected = index == state.browser.selection
            let style = selected ? context.style(state.focus == id ? .selectionActive : .selection) : context.style(.text)
            surface.fill(Rect(x: list.x, y: list.y + row, width: list.width, height: 1), style: style)
            let mark = url == state.browser.chosen ? "● " : "  "
            let roles = PictureRole.allCases.filter { state.settings[$0] == url }.map { " [\($0.rawValue)]" }.joined()
            surface.put(mark + displayName(url, state.browser.directories) + roles, x: list.x, y: list.y + row, style: style, limit: list.width)
        }
        let pictureArea = Rect(x: inner.x, y: list.maxY, width: inner.width, height: inner.maxY - list.maxY)
        let size = state.sourcePicture.map { (width: $0.width, height: $0.height) }
        let name = state.browser.chosen?.lastPathComponent ?? ""
        place(
            size, key: "source:\(state.browser.chosen?.path ?? "")", caption: "\(name) \(size.map { "\($0.width)×\($0.height)" } ?? "")",
            empty: state.browser.chosen == nil ? "Enter picks the picture to edit" : "loading \(name)…", in: pictureArea,
            into: &surface, context: context
        ) { width, height in (state.sourcePicture ?? Picture(width: 1, height: 1, color: RGB(0, 0, 0))).resized(width: width, height: height) }
    }

    /// The list takes up to 40% of the panel (at least 3 rows), the picture the rest.
    private func listArea(_ inner: Rect, count: Int) -> Rect {
        let rows = min(max(count, 1), max(3, inner.height * 2 / 5))
        return inner.splitTop(rows).top
    }

    private func scrollOffset(_ state: AppState, rows: Int) -> Int {
        max(0, min(state.browser.selection - rows + 1, state.browser.entries.count - rows))
    }

    /// "Samples/cat.png": the path below the scanned directory it was found in.
    private func displayName(_ url: URL, _ directories: [URL]) -> String {
        for directory in directories where url.path.hasPrefix(directory.path + "/") {
            return directory.lastPathComponent + "/" + url.path.dropFirst(directory.path.count + 1)
        }
        return url.lastPathComponent
    }
}
