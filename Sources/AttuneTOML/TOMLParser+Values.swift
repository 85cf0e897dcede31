// Single TOML values: strings (basic, literal, multi-line), integers, floats, booleans, dates, arrays, inline tables.

extension TOMLParser {
    mutating func parseValue() throws -> TOMLValue {
        guard let byte = peek else { throw error("expected a value, found end of file") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(isTripled(byte) ? try parseMultilineString(literal: false) : try parseBasicString())
        case UInt8(ascii: "'"):
            return .string(isTripled(byte) ? try parseMultilineString(literal: true) : try parseLiteralString())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "{"): return try parseInlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return try parseBoolean()
        case UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "+"), UInt8(ascii: "-"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumberOrDate()
        default:
            throw error("expected a value (string, number, boolean, date, array or inline table), found \(describePeek())")
        }
    }

    private func isTripled(_ quote: UInt8) -> Bool { peek(at: 1) == quote && peek(at: 2) == quote }

    // MARK: - Strings

    mutating func parseBasicString() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated string: expected '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("unterminated string: a single-line string cannot contain a newline (use \"\"\" for multi-line)")
            default:
                if Self.isForbiddenControl(byte) { throw error("control character \(hex(byte)) must be escaped in a string") }
                out.append(byte)
                pos += 1
            }
        }
    }

    mutating func parseLiteralString() throws -> String {
        pos += 1
        let start = pos
        while true {
            guard let byte = peek else { throw error("unterminated literal string: expected \"'\"") }
            if byte == UInt8(ascii: "'") { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw error("unterminated literal string: a single-line string cannot contain a newline")
            }
            if Self.isForbiddenControl(byte) { throw error("control character \(hex(byte)) is not allowed in a literal string") }
            pos += 1
        }
        defer { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// `"""…"""` or `'''…'''`: a newline right after the opening quotes is dropped; up to two quotes may
    /// precede the closing three; in basic strings a backslash at a line end trims the following whitespace.
    private mutating func parseMultilineString(literal: Bool) throws -> String {
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        pos += 3
        if peek == UInt8(ascii: "\n") || peek == UInt8(ascii: "\r") { try consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated multi-line string: expected \(literal ? "'''" : "\"\"\"")") }
            if byte == quote {
                var run = 0
                while peek(at: run) == quote { run += 1 }
                if run >= 3 {
                    guard run <= 5 else { throw error("too many quotes at the end of a multi-line string") }
                    out += Array(repeating: quote, count: run - 3)
                    pos += run
                    return String(decoding: out, as: UTF8.self)
                }
                out += Array(repeating: quote, count: run)
                pos += run
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            } else if byte == UInt8(ascii: "\\") && !literal {
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &out)
            } else {
                if Self.isForbiddenControl(byte) { throw error("control character \(hex(byte)) is not allowed in a string") }
                out.append(byte)
                pos += 1
            }
        }
    }

    /// A backslash followed only by whitespace up to the end of the line swallows all whitespace and newlines after it.
    private mutating func skipLineEndingBackslash() throws -> Bool {
        var look = pos + 1
        while look < bytes.count, bytes[look] == UInt8(ascii: " ") || bytes[look] == UInt8(ascii: "\t") { look += 1 }
        guard look < bytes.count, bytes[look] == UInt8(ascii: "\n") || bytes[look] == UInt8(ascii: "\r") else {
            return false
        }
        pos = look
        while let byte = peek {
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                pos += 1
            } else {
                break
            }
        }
        return true
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws {
        let location = (line, column(of: pos))
        pos += 1
        guard let byte = peek else { throw error("unterminated escape sequence") }
        pos += 1
        switch byte {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard pos + count <= bytes.count,
                let code = UInt32(String(decoding: bytes[pos..<pos + count], as: UTF8.self), radix: 16),
                bytes[pos..<pos + count].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else {
                throw error("expected \(count) hex digits after '\\\(Character(UnicodeScalar(byte)))'", at: location)
            }
            guard let scalar = UnicodeScalar(code) else {
                throw error("escape \\\(Character(UnicodeScalar(byte)))\(String(code, radix: 16)) is not a Unicode scalar value", at: location)
            }
            pos += count
            out += Array(String(Character(scalar)).utf8)
        default:
            throw error("invalid escape '\\\(Character(UnicodeScalar(byte)))' (allowed: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: location)
        }
    }

    // MARK: - Arrays and inline tables

    private mutating func parseArray() throws -> TOMLValue {
        pos += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            if peek == UInt8(ascii: "]") {
                pos += 1
                return .array(elements)
            }
            elements.append(try parseValue())
            try skipBlankLines()
            switch peek {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "]"):
                pos += 1
                return .array(elements)
            default: throw error("expected ',' or ']' in array, found \(describePeek())")
            }
        }
    }

    private mutating func parseInlineTable() throws -> TOMLValue {
        pos += 1
        let node = Node(.header)
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            pos += 1
            return .table(node.table)
        }
        while true {
            skipWhitespace()
            try parseKeyValue(into: node)
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
                if peek == UInt8(ascii: "}") { throw error("a trailing comma is not allowed in an inline table") }
            case UInt8(ascii: "}"):
                pos += 1
                return .table(node.table)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("an inline table must be on one line: expected ',' or '}', found end of line")
            default:
                throw error("expected ',' or '}' in inline table, found \(describePeek())")
            }
        }
    }

    // MARK: - Booleans, numbers, dates

    private mutating func parseBoolean() throws -> TOMLValue {
        for (word, value) in [("true", true), ("false", false)] where hasPrefix(word) {
            pos += word.utf8.count
            return .boolean(value)
        }
        throw error("expected a value, found \(describePeek()) (booleans are lowercase 'true' or 'false')")
    }

    private func hasPrefix(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        return pos + utf8.count <= bytes.count && Array(bytes[pos..<pos + utf8.count]) == utf8
    }

    private mutating func parseNumberOrDate() throws -> TOMLValue {
        let start = pos
        let location = (line, column(of: pos))
        while let byte = peek, Self.isNumberOrDateByte(byte) { pos += 1 }
        // "1979-05-27 07:32:00": a space may separate a date from its time.
        if pos - start == 10, peek == UInt8(ascii: " "), let next = peek(at: 1),
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next), bytes[start + 4] == UInt8(ascii: "-")
        {
            pos += 1
            while let byte = peek, Self.isNumberOrDateByte(byte) { pos += 1 }
        }
        let token = String(decoding: bytes[start..<pos], as: UTF8.self)
        if TOMLScalarSyntax.isDateTime(token) { return .dateTime(token) }
        if let value = TOMLScalarSyntax.float(token) { return .float(value) }
        switch TOMLScalarSyntax.integer(token) {
        case .some(.some(let value)): return .integer(value)
        case .some(.none): throw error("integer \(token) does not fit in 64 bits", at: location)
        case .none: throw error("invalid number or date '\(token)'", at: location)
        }
    }

    private static func isNumberOrDateByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }
}
