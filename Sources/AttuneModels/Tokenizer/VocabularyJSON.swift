// Reads a tokenizer vocab.json: one JSON object mapping token strings to integer ids (the format of
// transformers' CLIPTokenizer `vocab_file`). A dedicated reader because Foundation's JSONDecoder needs about
// 0.5 s for the 49,408 entries on Linux, and because it can name the byte offset of a syntax error.

struct VocabularyJSON {
    /// The entries in file order: each token's UTF-8 bytes (escapes resolved) and its id.
    private(set) var entries = [(token: [UInt8], id: Int)]()
    private let bytes: [UInt8]
    private let path: String
    private var position = 0

    static func parse(_ bytes: [UInt8], path: String) throws -> [(token: [UInt8], id: Int)] {
        var reader = VocabularyJSON(bytes: bytes, path: path)
        try reader.parseObject()
        return reader.entries
    }

    private init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func failure(_ expected: String) -> TokenizerError {
        let found = position < bytes.count ? "byte 0x\(String(bytes[position], radix: 16))" : "the end of the file"
        return .malformedVocabulary(
            path: path, reason: "invalid JSON at byte \(position): expected \(expected), found \(found)")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else {
            throw failure("'\(character)'")
        }
        position += 1
    }

    /// True (and consumes it) when the next non-space byte is `character`.
    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private mutating func parseObject() throws {
        try expect("{")
        if !consume("}") {
            repeat {
                try expect("\"")
                let token = try parseStringBody()
                try expect(":")
                entries.append((token, try parseInteger()))
            } while consume(",")
            try expect("}")
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("the end of the file after the object") }
    }

    /// Reads a string after its opening quote, through the closing quote.
    private mutating func parseStringBody() throws -> [UInt8] {
        var token = [UInt8]()
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return token
            case UInt8(ascii: "\\"):
                try parseEscape(into: &token)
            case 0..<0x20:
                position -= 1
                throw failure("a string character (control bytes must be escaped)")
            default:
                token.append(byte)
            }
        }
        throw failure("a closing '\"'")
    }

    /// `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and the bytes they stand for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09,
    ]

    private mutating func parseEscape(into token: inout [UInt8]) throws {
        guard position < bytes.count else { throw failure("an escape character") }
        let letter = bytes[position]
        position += 1
        if let byte = Self.simpleEscapes[letter] {
            token.append(byte)
            return
        }
        guard letter == UInt8(ascii: "u") else {
            position -= 1
            throw failure("one of \" \\ / b f n r t u after '\\'")
        }
        var value = try parseHex4()
        if (0xD800..<0xDC00).contains(value) {
            // A UTF-16 surrogate pair spells a code point above U+FFFF.
            guard consumeLiteral("\\u") else { throw failure("the low half of a surrogate pair") }
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("a low surrogate (DC00...DFFF)") }
            value = 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw failure("a code point that is not a lone surrogate") }
        token.append(contentsOf: scalar.utf8)
    }

    private mutating func consumeLiteral(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard bytes[position...].starts(with: expected) else { return false }
        position += expected.count
        return true
    }

    private mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = Character(Unicode.Scalar(bytes[position])).hexDigitValue else {
                throw failure("four hexadecimal digits after '\\u'")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// A non-negative integer id (JSON allows no leading zeros; fractions and exponents are not ids).
    private mutating func parseInteger() throws -> Int {
        skipWhitespace()
        let start = position
        var value = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= Int.max - 9 else { throw failure("an id small enough for a token table") }
            value = product + Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        guard position > start else { throw failure("a non-negative integer id") }
        guard position - start == 1 || bytes[start] != UInt8(ascii: "0") else {
            position = start
            throw failure("an integer without leading zeros")
        }
        return value
    }
}
