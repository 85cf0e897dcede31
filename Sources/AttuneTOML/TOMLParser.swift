// Reads TOML 1.0 text (https://toml.io/en/v1.0.0): the document structure lives here (headers, dotted keys,
// the rules for defining a table only once); single values are read in TOMLParser+Values.swift.

struct TOMLParser {
    let bytes: [UInt8]
    var pos = 0
    var line = 1
    /// Byte offset where the current line starts, for column numbers.
    var lineStart = 0

    init(_ text: String) {
        // A leading byte-order mark is not part of the document.
        bytes = Array(text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? text.utf8.dropFirst(3) : text.utf8[...])
    }

    /// A table under construction. Its origin decides whether it may be reopened:
    /// a header may complete a table that was only implied, dotted keys may extend only their own tables.
    final class Node {
        enum Origin { case implicit, header, dotted }
        enum Slot {
            case value(TOMLValue)
            case table(Node)
            case tableArray([Node])
        }
        var origin: Origin
        var order: [String] = []
        var slots: [String: Slot] = [:]

        init(_ origin: Origin) { self.origin = origin }

        func insert(_ key: String, _ slot: Slot) {
            if slots.updateValue(slot, forKey: key) == nil { order.append(key) }
        }

        var table: TOMLTable {
            var result = TOMLTable()
            for key in order {
                switch slots[key] {
                case .value(let value): result[key] = value
                case .table(let node): result[key] = .table(node.table)
                case .tableArray(let nodes): result[key] = .array(nodes.map { .table($0.table) })
                case nil: break
                }
            }
            return result
        }
    }

    mutating func parseDocument() throws -> TOMLTable {
        let root = Node(.header)
        var current = root
        while true {
            skipWhitespace()
            guard let byte = peek else { break }
            switch byte {
            case UInt8(ascii: "#"): try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "["):
                current = try parseHeader(root: root)
                try expectLineEnd(after: "table header")
            default:
                try parseKeyValue(into: current)
                try expectLineEnd(after: "value")
            }
        }
        return root.table
    }

    // MARK: - Headers and key/value pairs

    private mutating func parseHeader(root: Node) throws -> Node {
        let isArray = peek(at: 1) == UInt8(ascii: "[")
        pos += isArray ? 2 : 1
        skipWhitespace()
        let (keys, location) = try parseKey()
        skipWhitespace()
        let closing = isArray ? "]]" : "]"
        for byte in closing.utf8 {
            guard peek == byte else { throw error("expected '\(closing)' to close table header, found \(describePeek())") }
            pos += 1
        }
        let name = dotted(keys)
        var node = root
        for key in keys.dropLast() {
            node = try descend(node, key, path: name, at: location)
        }
        let last = keys[keys.count - 1]
        if isArray {
            switch node.slots[last] {
            case nil:
                let element = Node(.header)
                node.insert(last, .tableArray([element]))
                return element
            case .tableArray(let elements):
                let element = Node(.header)
                node.slots[last] = .tableArray(elements + [element])
                return element
            case .table:
                throw error("cannot define [[\(name)]]: '\(name)' is already a table", at: location)
            case .value(let value):
                throw error("cannot define [[\(name)]]: key '\(name)' already holds \(value.typeWithArticle)", at: location)
            }
        }
        switch node.slots[last] {
        case nil:
            let table = Node(.header)
            node.insert(last, .table(table))
            return table
        case .table(let table) where table.origin == .implicit:
            table.origin = .header
            return table
        case .table(let table):
            let how = table.origin == .dotted ? "by dotted keys" : "earlier"
            throw error("table [\(name)] was already defined \(how)", at: location)
        case .tableArray:
            throw error("cannot define [\(name)]: '\(name)' is already an array of tables", at: location)
        case .value(let value):
            throw error("cannot define [\(name)]: key '\(name)' already holds \(value.typeWithArticle)", at: location)
        }
    }

    /// Walks one level down a header path, creating implied tables; arrays of tables lead to their last element.
    private func descend(_ node: Node, _ key: String, path: String, at location: (Int, Int)) throws -> Node {
        switch node.slots[key] {
        case nil:
            let child = Node(.implicit)
            node.insert(key, .table(child))
            return child
        case .table(let child):
            return child
        case .tableArray(let elements):
            guard let last = elements.last else { throw error("empty array of tables '\(key)'", at: location) }
            return last
        case .value(let value):
            throw error("cannot define [\(path)]: key '\(key)' already holds \(value.typeWithArticle)", at: location)
        }
    }

    /// `a.b.c = value` inside `node`; dotted keys create tables that only dotted keys may extend.
    mutating func parseKeyValue(into node: Node) throws {
        let (keys, location) = try parseKey()
        let name = dotted(keys)
        skipWhitespace()
        guard peek == UInt8(ascii: "=") else { throw error("expected '=' after key '\(name)', found \(describePeek())") }
        pos += 1
        skipWhitespace()
        let value = try parseValue()
        var target = node
        for key in keys.dropLast() {
            switch target.slots[key] {
            case nil:
                let child = Node(.dotted)
                target.insert(key, .table(child))
                target = child
            case .table(let child) where child.origin == .dotted:
                target = child
            case .table:
                throw error("cannot set '\(name)': table '\(key)' is defined by a header, not by dotted keys", at: location)
            case .tableArray:
                throw error("cannot set '\(name)': '\(key)' is an array of tables", at: location)
            case .value(let existing):
                throw error("cannot set '\(name)': key '\(key)' already holds \(existing.typeWithArticle)", at: location)
            }
        }
        let last = keys[keys.count - 1]
        guard target.slots[last] == nil else { throw error("duplicate key '\(name)'", at: location) }
        target.insert(last, .value(value))
    }

    /// A possibly dotted key; returns its parts and where it started (for later errors).
    private mutating func parseKey() throws -> ([String], (Int, Int)) {
        let location = (line, column(of: pos))
        var parts = [try parseSimpleKey()]
        while true {
            let save = pos
            skipWhitespace()
            guard peek == UInt8(ascii: ".") else { pos = save; break }
            pos += 1
            skipWhitespace()
            parts.append(try parseSimpleKey())
        }
        return (parts, location)
    }

    private mutating func parseSimpleKey() throws -> String {
        switch peek {
        case UInt8(ascii: "\""):
            if peek(at: 1) == UInt8(ascii: "\""), peek(at: 2) == UInt8(ascii: "\"") {
                throw error("a key cannot be a multi-line string")
            }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            if peek(at: 1) == UInt8(ascii: "'"), peek(at: 2) == UInt8(ascii: "'") {
                throw error("a key cannot be a multi-line string")
            }
            return try parseLiteralString()
        default:
            let start = pos
            while let byte = peek, Self.isBareKeyByte(byte) { pos += 1 }
            guard pos > start else { throw error("expected a key, found \(describePeek())") }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private func dotted(_ keys: [String]) -> String { keys.joined(separator: ".") }

    // MARK: - Whitespace, comments, newlines

    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }
    func peek(at offset: Int) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { pos += 1 }
    }

    mutating func skipComment() throws {
        pos += 1
        while let byte = peek, byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r"), peek(at: 1) == UInt8(ascii: "\n") { break }
            if Self.isForbiddenControl(byte) { throw error("control character \(hex(byte)) is not allowed in a comment") }
            pos += 1
        }
    }

    mutating func consumeNewline() throws {
        if peek == UInt8(ascii: "\r") {
            guard peek(at: 1) == UInt8(ascii: "\n") else { throw error("carriage return must be followed by a newline") }
            pos += 1
        }
        pos += 1
        line += 1
        lineStart = pos
    }

    /// Whitespace, newlines and comments, as allowed between array elements.
    mutating func skipBlankLines() throws {
        while let byte = peek {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): pos += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "#"): try skipComment()
            default: return
            }
        }
    }

    private mutating func expectLineEnd(after what: String) throws {
        skipWhitespace()
        if peek == UInt8(ascii: "#") { try skipComment() }
        guard let byte = peek else { return }
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw error("expected a newline after the \(what), found \(describePeek())")
        }
        try consumeNewline()
    }

    /// Control characters other than tab are never allowed raw in TOML text.
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    // MARK: - Errors

    func column(of offset: Int) -> Int {
        var column = 1
        var index = lineStart
        while index < offset && index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return column
    }

    func error(_ message: String, at location: (Int, Int)? = nil) -> TOMLError {
        let (line, column) = location ?? (self.line, column(of: pos))
        return TOMLError(line: line, column: column, message: message)
    }

    func describePeek() -> String {
        guard let byte = peek else { return "end of file" }
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "end of line"
        case 0x20..<0x7F: return "'\(Character(UnicodeScalar(byte)))'"
        case 0x80...:
            var end = pos + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'\(String(decoding: bytes[pos..<end], as: UTF8.self))'"
        default: return hex(byte)
        }
    }

    func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
