// Strict JSON (RFC 8259) parsing and string quoting, for safetensors headers.
// Foundation's JSONDecoder accepts 2.0 as an integer and hides which value failed; a header check must say
// exactly what is wrong and where, so the few lines of JSON grammar are handled here.
import Foundation

/// A parsed JSON value. Numbers without fraction or exponent that fit in `Int` are `.integer`.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a non-integer number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a JSON text was rejected, with the byte offset where parsing stopped.
public struct JSONSyntaxError: LocalizedError, Equatable, Sendable {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var errorDescription: String? { "invalid JSON at byte \(offset): \(reason)" }
}

public enum JSONParser {
    /// Nesting beyond this depth is rejected instead of recursing further (safetensors headers nest 3 deep).
    public static let maximumDepth = 64

    /// Parses one JSON value (surrounded by optional whitespace). Duplicate object keys are an error.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.position != bytes.count { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse($0) }
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    mutating func expect(_ literal: String, producing value: JSONValue) throws -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw error("invalid literal (expected '\(literal)')") }
            position += 1
        }
        return value
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard let c = current else { throw error("unexpected end of JSON") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", producing: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", producing: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", producing: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(Unicode.Scalar(c))'")
        }
    }

    mutating func object(depth: Int) throws -> JSONValue {
        if depth > JSONParser.maximumDepth { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
            let keyOffset = position
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
            position += 1
            skipWhitespace()
            let member = try value(depth: depth)
            if members.updateValue(member, forKey: key) != nil {
                throw JSONSyntaxError(offset: keyOffset, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw error("expected ',' or '}' in object")
            }
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        if depth > JSONParser.maximumDepth { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw error("expected ',' or ']' in array")
            }
        }
    }

    mutating func digits() -> Int {
        let start = position
        while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }

    mutating func number() throws -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        let intStart = position
        let intDigits = digits()
        if intDigits == 0 { throw error("expected digits in number") }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") {
            throw JSONSyntaxError(offset: intStart, reason: "leading zero in number")
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            position += 1
            isInteger = false
            if digits() == 0 { throw error("expected digits after '.' in number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            isInteger = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            if digits() == 0 { throw error("expected digits in exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        // Out-of-range integers become doubles; the caller rejects them where an integer is required.
        guard let value = Double(text) else { throw JSONSyntaxError(offset: start, reason: "invalid number \(text)") }
        return .number(value)
    }

    mutating func hexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current else { throw error("unexpected end in \\u escape") }
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Parses a string literal; the input must already be valid UTF-8 (checked by the caller).
    mutating func string() throws -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun(_ end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<end]), as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard let c = current else { throw error("unterminated string") }
            if c == UInt8(ascii: "\"") {
                flushRun(position)
                position += 1
                return String(scalars)
            }
            if c < 0x20 { throw error("unescaped control character in string") }
            if c != UInt8(ascii: "\\") { position += 1; continue }
            flushRun(position)
            position += 1
            guard let e = current else { throw error("unterminated escape in string") }
            position += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hexQuad()
                if code >= 0xD800 && code < 0xDC00 {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate in \\u escape") }
                    position += 2
                    let low = try hexQuad()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid low surrogate in \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate in \\u escape") }
                scalars.append(scalar)
            default:
                throw error("invalid escape '\\\(Unicode.Scalar(e))' in string")
            }
            runStart = position
        }
    }
}

public enum JSONQuoting {
    /// `text` as a JSON string literal, escaped the way serde_json does (so headers match safetensors' own):
    /// quote, backslash and control characters are escaped, everything else stays raw UTF-8.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
