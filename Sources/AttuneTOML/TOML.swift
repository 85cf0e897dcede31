// The entry points of AttuneTOML: parse TOML 1.0 text into a table, and write a table back as text.
import Foundation

public enum TOML {
    /// Parses a TOML document. Errors name the line and column and what was expected there.
    public static func parse(_ text: String) throws -> TOMLTable {
        var parser = TOMLParser(text)
        return try parser.parseDocument()
    }

    /// Parses a TOML file; errors carry the file's path.
    public static func parse(contentsOf url: URL) throws -> TOMLTable {
        let data = try Data(contentsOf: url)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TOMLError(file: url.path, line: 1, column: 1, message: "the file is not valid UTF-8 text")
        }
        do {
            return try parse(text)
        } catch var error as TOMLError {
            error.file = url.path
            throw error
        }
    }

    /// Writes a table as TOML text; the same table always gives the same text.
    public static func serialize(_ table: TOMLTable) -> String {
        TOMLSerializer.serialize(table)
    }
}
