// A panel of the workbench: its key bindings, its mouse handling and its drawing. Panels never change the
// state; they return Actions, and render from a read-only AppState.

public protocol Panel {
    var id: PanelID { get }
    var bindings: [KeyBinding] { get }
    func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action]
    func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext)
}

extension Panel {
    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] { [] }

    /// Draws the border and numbered title (highlighted when focused); returns the inside.
    func frame(_ state: AppState, _ rect: Rect, _ surface: inout Surface, _ context: WorkbenchContext, detail: String = "") -> Rect {
        let focused = state.focus == id
        surface.fill(rect, style: context.style(.panel))
        let title = "\(id.rawValue) \(id.title)" + (detail.isEmpty ? "" : " · \(detail)")
        surface.box(
            rect, style: context.style(focused ? .panelBorderActive : .panelBorder), title: title,
            titleStyle: context.style(focused ? .panelTitleActive : .panelTitle))
        return rect.inset(1)
    }

    /// Where a picture of `size` goes in `area` (its last row is the caption); mouse handlers use the same.
    func pictureFit(_ size: (width: Int, height: Int), in area: Rect, context: WorkbenchContext) -> ImageFit? {
        context.fit(width: size.width, height: size.height, in: area.splitTop(area.height - 1).top)
    }

    /// The picture of a panel, or a one-line explanation where there is none (or no graphics).
    func place(
        _ picture: (width: Int, height: Int)?, key: String, caption: String, empty: String, in area: Rect,
        into surface: inout Surface, context: WorkbenchContext, make: @escaping (Int, Int) -> Picture
    ) {
        guard area.height > 0 else { return }
        guard let picture else {
            surface.putWrapped(empty, in: area, style: context.style(.textDim))
            return
        }
        let captionRow = area.splitTop(area.height - 1).bottom
        surface.put(caption, x: captionRow.x, y: captionRow.y, style: context.style(.textDim), limit: captionRow.width)
        if let fit = pictureFit(picture, in: area, context: context) {
            surface.images.append(ImagePlacement(key: key, fit: fit, make: make))
        } else if context.graphics == .none {
            surface.putWrapped("[picture \(picture.width)×\(picture.height); graphics off]", in: area.splitTop(area.height - 1).top, style: context.style(.textDim))
        }
    }
}
