// Writes a TOMLTable as TOML text, deterministically: keys in table order, plain values before sub-tables,
// `[[name]]` for arrays of tables, one-line escaped strings, shortest round-tripping floats.

enum TOMLSerializer {
    static func serialize(_ table: TOMLTable) -> String {
        var out = ""
        write(table, path: [], into: &out)
        return out
    }

    private static func write(_ table: TOMLTable, path: [String], into out: inout String) {
        for (key, value) in table.entries where !isSection(value) {
            out += "\(quoteKey(key)) = \(inline(value))\n"
        }
        for (key, value) in table.entries {
            let childPath = path + [key]
            let header = childPath.map(quoteKey).joined(separator: ".")
            switch value {
            case .table(let child):
                // A table holding only sub-tables needs no header of its own: theirs imply it.
                if child.isEmpty || child.entries.contains(where: { !isSection($0.value) }) {
                    out += separator(out) + "[\(header)]\n"
                }
                write(child, path: childPath, into: &out)
            case .array(let elements) where isSection(value):
                for case .table(let element) in elements {
                    out += separator(out) + "[[\(header)]]\n"
                    write(element, path: childPath, into: &out)
                }
            default:
                continue
            }
        }
    }

    /// Tables and non-empty arrays of tables are written as sections; everything else inline.
    private static func isSection(_ value: TOMLValue) -> Bool {
        switch value {
        case .table: true
        case .array(let elements): !elements.isEmpty && elements.allSatisfy { $0.tableValue != nil }
        default: false
        }
    }

    private static func separator(_ out: String) -> String { out.isEmpty ? "" : "\n" }

    static func inline(_ value: TOMLValue) -> String {
        switch value {
        case .string(let s): quote(s)
        case .integer(let i): String(i)
        case .float(let d): format(d)
        case .boolean(let b): b ? "true" : "false"
        case .dateTime(let text): text
        case .array(let elements): "[" + elements.map(inline).joined(separator: ", ") + "]"
        case .table(let table):
            table.isEmpty
                ? "{}"
                : "{ " + table.entries.map { "\(quoteKey($0.key)) = \(inline($0.value))" }.joined(separator: ", ") + " }"
        }
    }

    private static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description is the shortest text that reads back to the same Double and always has '.' or 'e'.
        return d.description
    }

    static func quoteKey(_ key: String) -> String {
        !key.isEmpty && key.utf8.allSatisfy(TOMLParser.isBareKeyByte) ? key : quote(key)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension TOMLValue {
    /// The value as it would be written after `key = `, e.g. in messages that quote what a file said.
    public var inlineText: String { TOMLSerializer.inline(self) }
}
