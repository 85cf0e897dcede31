// Panel 6, Mask editor: the mask tinted over the picture; brush or eraser by mouse drag or by keys (move the
// brush, Space dabs, p holds the pen down), fill, invert, clear, feather, undo, PNG import/export, and a mask
// seeded from the picked token's cross-attention.
import Foundation

public struct MaskPanel: Panel {
    public let id = PanelID.mask

    public var bindings: [KeyBinding] {
        [
            KeyBinding("left", keys("left", "h"), "move the brush left", .moveMaskCursor(dx: -1, dy: 0)),
            KeyBinding("right", keys("right", "l"), "move the brush right", .moveMaskCursor(dx: 1, dy: 0)),
            KeyBinding("up", keys("up", "k"), "move the brush up", .moveMaskCursor(dx: 0, dy: -1)),
            KeyBinding("down", keys("down", "j"), "move the brush down", .moveMaskCursor(dx: 0, dy: 1)),
            KeyBinding("left-more", keys("shift-left", "H"), "move the brush 4 cells left", .moveMaskCursor(dx: -4, dy: 0)),
            KeyBinding("right-more", keys("shift-right", "L"), "move the brush 4 cells right", .moveMaskCursor(dx: 4, dy: 0)),
            KeyBinding("up-more", keys("shift-up", "K"), "move the brush 4 cells up", .moveMaskCursor(dx: 0, dy: -4)),
            KeyBinding("down-more", keys("shift-down", "J"), "move the brush 4 cells down", .moveMaskCursor(dx: 0, dy: 4)),
            KeyBinding("dab", keys("space"), "paint (or erase) at the brush", hint: true, .stampMask),
            KeyBinding("pen", keys("p"), "pen down/up: moving paints", hint: true, .togglePen),
            KeyBinding("tool", keys("b", "e"), "brush or eraser", hint: true, .toggleMaskTool),
            KeyBinding("brush-shrink", keys("["), "smaller brush", .resizeBrush(-1)),
            KeyBinding("brush-grow", keys("]"), "bigger brush", hint: true, .resizeBrush(1)),
            KeyBinding("feather-less", keys("{"), "less feather", .changeFeatherRadius(-1)),
            KeyBinding("feather-more", keys("}"), "more feather", .changeFeatherRadius(1)),
            KeyBinding("feather", keys("F"), "feather (blur) the mask edges", .featherMask),
            KeyBinding("fill", keys("f"), "mask everything", .fillMask),
            KeyBinding("invert", keys("i"), "invert the mask", .invertMask),
            KeyBinding("clear", keys("x"), "clear the mask", .clearMask),
            KeyBinding("undo", keys("u", "ctrl-z"), "undo", hint: true, .undoMask),
            KeyBinding("from-token", keys("t"), "mask from the picked token's attention", hint: true, .maskFromToken),
            KeyBinding("import", keys("I"), "import a mask PNG", .openDialog(.importMask)),
            KeyBinding("export", keys("E"), "export the mask as PNG", .openDialog(.exportMask)),
        ]
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        if event.kind == .release { return [.endMaskStroke] }
        let size = state.canvasSize
        guard event.kind == .press || event.kind == .drag,
            let fit = pictureFit(size, in: pictureArea(rect), context: context),
            let fraction = pictureFraction(event, in: fit)
        else { return [] }
        let grid = state.mask.grid
        return [.strokeMask(x: fraction.x * Double(grid.width), y: fraction.y * Double(grid.height))]
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context)
        guard !inner.isEmpty else { return }
        let mask = state.mask
        let token = state.settings.maskToken.map { " · token #\($0)" } ?? ""
        let status = "\(mask.tool.rawValue) r\(mask.brushRadius) · feather \(mask.featherRadius) · pen \(mask.penDown ? "down" : "up") · \(Int((mask.grid.coverage * 100).rounded()))%\(token)"
        surface.putWrapped(status, in: inner.splitTop(InspectorPanel.descriptionRows).top, style: context.style(.text))
        let size = state.canvasSize
        let tint = context.style(.maskOverlay).foreground?.approximateRGB(default: RGB(255, 64, 64)) ?? RGB(255, 64, 64)
        let key = "mask:\(state.canvasKey):\(mask.revision):\(mask.cursor):\(mask.brushRadius):\(tint)"
        place(
            size, key: key, caption: "mask \(mask.grid.width)×\(mask.grid.height) (latent cells)", empty: "",
            in: pictureArea(rect), into: &surface, context: context
        ) { width, height in
            var picture = state.canvas(width: width, height: height).overlaid(
                field: mask.grid.values, fieldWidth: mask.grid.width, fieldHeight: mask.grid.height, alpha: 0.6,
                color: { _ in tint }, weight: { Double($0) })
            Self.drawBrushOutline(&picture, mask: mask)
            return picture
        }
    }

    private func pictureArea(_ rect: Rect) -> Rect { rect.inset(1).splitTop(InspectorPanel.descriptionRows).bottom }

    /// The brush circle at the keyboard cursor, so keyboard painting shows where it lands.
    private static func drawBrushOutline(_ picture: inout Picture, mask: MaskEditorState) {
        let sx = Double(picture.width) / Double(mask.grid.width), sy = Double(picture.height) / Double(mask.grid.height)
        let cx = (Double(mask.cursor.x) + 0.5) * sx, cy = (Double(mask.cursor.y) + 0.5) * sy
        let r = Double(mask.brushRadius) * sx
        let points = max(16, Int(r * 6))
        for i in 0..<points {
            let angle = Double(i) / Double(points) * 2 * Double.pi
            let x = Int(cx + r * cos(angle)), y = Int(cy + r * sin(angle) * sy / sx)
            if (0..<picture.width).contains(x) && (0..<picture.height).contains(y) { picture[x, y] = RGB(255, 255, 255) }
        }
    }
}
