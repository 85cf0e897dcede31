// Typed reading of one table of an edit record: rejects unknown keys and wrong types with the key's full name,
// and resolves relative paths against the record file's directory.
import AttuneTOML
import Foundation

struct RecordSection {
    /// "" for the top level, else the table name ("sampling").
    let name: String
    let table: TOMLTable
    let baseDirectory: URL

    init(_ name: String, in root: TOMLTable, baseDirectory: URL, known: [String]) throws {
        self.name = name
        self.baseDirectory = baseDirectory
        if name.isEmpty {
            table = root
        } else {
            switch root[name] {
            case nil: table = TOMLTable()
            case .table(let table): self.table = table
            case .some(let other): throw EditRecordError.wrongType(key: "[\(name)]", expected: "a table", found: other.typeWithArticle)
            }
        }
        for key in table.keys where !known.contains(key) {
            throw EditRecordError.unknownKey(displayName(key), known: known)
        }
    }

    func displayName(_ key: String) -> String { name.isEmpty ? key : "[\(name)] \(key)" }

    func string(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.stringValue else { throw typeError(key, "a string", value) }
        return string
    }

    func integer(_ key: String) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let integer = value.integerValue else { throw typeError(key, "an integer", value) }
        return Int(integer)
    }

    func double(_ key: String) throws -> Double? {
        guard let value = table[key] else { return nil }
        guard let double = value.doubleValue else { throw typeError(key, "a number", value) }
        return double
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.boolValue else { throw typeError(key, "true or false", value) }
        return bool
    }

    /// A path: `~` expands to the home directory; relative paths are relative to the record's directory.
    func path(_ key: String) throws -> URL? {
        guard let text = try string(key) else { return nil }
        guard !text.isEmpty else { throw EditRecordError.missing(key: displayName(key), reason: "the path is empty") }
        let expanded = NSString(string: text).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : baseDirectory.appendingPathComponent(expanded)
        return url.standardizedFileURL
    }

    private func typeError(_ key: String, _ expected: String, _ value: TOMLValue) -> EditRecordError {
        .wrongType(key: displayName(key), expected: expected, found: value.typeWithArticle)
    }
}
