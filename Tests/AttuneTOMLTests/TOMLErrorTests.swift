// Invalid TOML is rejected with an error naming line:column and what was expected.
import AttuneTOML
import Foundation
import Testing

@Suite struct TOMLErrorTests {
    /// Parses `text`, which must fail, and returns the error.
    private func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOML.parse(text)
            return nil
        } catch {
            return error as? TOMLError
        }
    }

    @Test(arguments: [
        ("a = 1\nb = \n", 2, 5, "expected a value"),
        ("a = 1\na = 2", 2, 1, "duplicate key 'a'"),
        ("[t]\nx = 1\n[t]", 3, 2, "table [t] was already defined"),
        ("key \"v\"", 1, 5, "expected '=' after key 'key'"),
        ("a = \"open", 1, 10, "unterminated string"),
        ("a = \"x\ny\"", 1, 7, "cannot contain a newline"),
        ("a = 01", 1, 5, "invalid number or date '01'"),
        ("a = 1__0", 1, 5, "invalid number"),
        ("a = 9223372036854775808", 1, 5, "does not fit in 64 bits"),
        ("a = 0x", 1, 5, "invalid number"),
        ("a = 1.", 1, 5, "invalid number"),
        ("a = .5", 1, 5, "expected a value"),
        ("a = TRUE", 1, 5, "expected a value"),
        ("a = 1 2", 1, 7, "expected a newline after the value, found '2'"),
        ("a = [1 2]", 1, 8, "expected ',' or ']' in array"),
        ("a = [1, 2", 1, 10, "expected ',' or ']' in array, found end of file"),
        ("a = { b = 1, }", 1, 14, "trailing comma"),
        ("a = { b = 1\n}", 1, 12, "inline table must be on one line"),
        ("a = \"\\q\"", 1, 6, "invalid escape '\\q'"),
        ("a = \"\\uD800\"", 1, 6, "not a Unicode scalar value"),
        ("a = \"\\u12\"", 1, 6, "expected 4 hex digits"),
        ("a = 1\n[[a]]", 2, 3, "already holds an integer"),
        ("a = [1]\n[[a]]", 2, 3, "already holds an array"),
        ("[a]\nb.c = 1\n[a.b]", 3, 2, "already defined by dotted keys"),
        ("[a.b.c]\n[a]\nb.d = 1", 3, 1, "defined by a header"),
        ("t = { x = 1 }\n[t.y]", 2, 2, "already holds a table"),
        ("a = \"\u{01}\"", 1, 6, "control character U+0001"),
        ("a = 1 # bell \u{07}", 1, 14, "control character U+0007"),
        ("a = 1\rb = 2", 1, 6, "carriage return"),
        ("[a", 1, 3, "expected ']'"),
        ("= 1", 1, 1, "expected a key, found '='"),
        ("a = 1979-13-01", 1, 5, "invalid number or date"),
        ("a = 2023-02-29", 1, 5, "invalid number or date"),
        ("\"\"\"k\"\"\" = 1", 1, 1, "cannot be a multi-line string"),
        ("a = \"\"\"x\"\"\"\"\"\"", 1, 9, "too many quotes"),
        ("é = 1", 1, 1, "expected a key, found 'é'"),
    ] as [(String, Int, Int, String)])
    func rejectsWithLocation(text: String, line: Int, column: Int, fragment: String) throws {
        let error = try #require(failure(text), "expected a TOMLError for \(text.debugDescription)")
        #expect(error.line == line && error.column == column, "\(error.localizedDescription)")
        #expect(error.message.contains(fragment), "\(error.localizedDescription)")
    }

    @Test func fileErrorsNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.toml")
        try Data("a = 1\nb = = 2\n".utf8).write(to: url)
        #expect(throws: TOMLError(file: url.path, line: 2, column: 5, message: "expected a value (string, number, boolean, date, array or inline table), found '='")) {
            try TOML.parse(contentsOf: url)
        }
        let binary = directory.appendingPathComponent("binary.toml")
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22]).write(to: binary)
        #expect(throws: TOMLError(file: binary.path, line: 1, column: 1, message: "the file is not valid UTF-8 text")) {
            try TOML.parse(contentsOf: binary)
        }
    }
}
