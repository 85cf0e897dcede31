// The in-memory screen: clipping, double-width characters, boxes, and text fields that scroll to the cursor.
@testable import AttuneTUI
import Testing

@Suite struct SurfaceTests {
    @Test func putClipsToTheLimitAndTheEdge() {
        var surface = Surface(width: 10, height: 2)
        #expect(surface.put("hello world", x: 2, y: 0, style: .plain, limit: 5) == 5)
        #expect(surface.line(0) == "  hello   ")
        #expect(surface.put("abcdef", x: 7, y: 1, style: .plain) == 3)
        #expect(surface.line(1) == "       abc")
        #expect(surface.put("x", x: 0, y: 5, style: .plain) == 0)
    }

    @Test func doubleWidthCharactersTakeTwoColumns() {
        var surface = Surface(width: 6, height: 1)
        #expect(Surface.displayWidth("猫a") == 3)
        surface.put("猫猫猫", x: 0, y: 0, style: .plain)
        #expect(surface.line(0) == "猫猫猫")
        #expect(surface[1, 0].text == "")
    }

    @Test func boxWithTitle() {
        var surface = Surface(width: 8, height: 3)
        surface.box(Rect(x: 0, y: 0, width: 8, height: 3), style: .plain, title: "Hi")
        #expect(surface.lines == ["┌ Hi ──┐", "│      │", "└──────┘"])
    }

    @Test func editingFieldScrollsToKeepTheCursorVisible() {
        var surface = Surface(width: 8, height: 1)
        let field = TextField("abcdefghijkl")
        let cursor = TextFieldView.draw(field, x: 0, y: 0, width: 8, style: .plain, editing: true, into: &surface)
        #expect(surface.line(0) == "fghijkl ")
        #expect(cursor?.x == 7)
        TextFieldView.draw(field, x: 0, y: 0, width: 8, style: .plain, editing: false, into: &surface)
        #expect(surface.line(0) == "abcdefg…")
    }
}
