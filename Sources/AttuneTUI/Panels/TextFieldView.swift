// Drawing a one-line text field: scrolled so the cursor stays visible while editing, cut with "…" otherwise.

enum TextFieldView {
    /// Draws `field` in `width` columns at (x, y); returns where the cursor goes when `editing`.
    @discardableResult
    static func draw(
        _ field: TextField, x: Int, y: Int, width: Int, style: TextStyle, editing: Bool, into surface: inout Surface
    ) -> (x: Int, y: Int)? {
        guard width > 0 else { return nil }
        surface.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        let characters = Array(field.text)
        guard editing else {
            let fits = Surface.displayWidth(field.text) <= width
            surface.put(fits ? field.text : String(characters.prefix(max(0, width - 1))) + "…", x: x, y: y, style: style, limit: width)
            return nil
        }
        // Start far enough right that the text up to the cursor, plus the cursor cell, fits.
        var start = 0
        while start < field.cursor && Surface.displayWidth(String(characters[start..<field.cursor])) >= width { start += 1 }
        surface.put(String(characters[start...]), x: x, y: y, style: style, limit: width)
        return (x + Surface.displayWidth(String(characters[start..<field.cursor])), y)
    }
}
