// The TOML 1.0 grammar of bare scalars: integers (decimal, 0x, 0o, 0b, with underscores between digits),
// floats (fraction and/or exponent, inf, nan) and RFC 3339 dates/times.

enum TOMLScalarSyntax {
    /// nil: not an integer; .some(nil): integer syntax but outside Int64.
    static func integer(_ token: String) -> Int64?? {
        let radixes: [(prefix: String, radix: Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        for (prefix, radix) in radixes where token.hasPrefix(prefix) {
            let digits = String(token.dropFirst(2))
            guard isDigitGroup(digits, radix: radix) else { return nil }
            // The digits may exceed Int64 even though the bit pattern fits UInt64: TOML integers are signed.
            guard let value = UInt64(digits.replacingOccurrences(of: "_", with: ""), radix: radix),
                value <= UInt64(Int64.max)
            else { return .some(nil) }
            return .some(Int64(value))
        }
        guard isDecimalInteger(token) else { return nil }
        return .some(Int64(token.replacingOccurrences(of: "_", with: "")))
    }

    static func float(_ token: String) -> Double? {
        var body = Substring(token)
        var sign = 1.0
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        if body == "inf" { return sign * .infinity }
        if body == "nan" { return .nan }
        let exponentSplit = body.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard exponentSplit.count <= 2, let mantissa = exponentSplit.first else { return nil }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard isDecimalInteger(String(parts[0]), allowSign: false) else { return nil }
        let hasFraction = parts.count == 2
        if hasFraction, !isDigitGroup(String(parts[1]), radix: 10) { return nil }
        let hasExponent = exponentSplit.count == 2
        if hasExponent {
            var exponent = exponentSplit[1]
            if let first = exponent.first, first == "+" || first == "-" { exponent = exponent.dropFirst() }
            guard isDigitGroup(String(exponent), radix: 10) else { return nil }
        }
        guard hasFraction || hasExponent else { return nil }
        return Double(token.replacingOccurrences(of: "_", with: ""))
    }

    /// Decimal integer: optional sign, no leading zeros, underscores only between digits.
    private static func isDecimalInteger(_ token: String, allowSign: Bool = true) -> Bool {
        var body = Substring(token)
        if allowSign, let first = body.first, first == "+" || first == "-" { body = body.dropFirst() }
        guard isDigitGroup(String(body), radix: 10) else { return false }
        return body == "0" || body.first != "0"
    }

    /// One or more digits of `radix`, with single underscores allowed only between digits.
    private static func isDigitGroup(_ text: String, radix: Int) -> Bool {
        guard !text.isEmpty, text.first != "_", text.last != "_", !text.contains("__") else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && $0.hexDigitValue.map { $0 < radix } == true) }
    }

    // MARK: - Dates and times

    /// Offset date-time, local date-time, local date, or local time (RFC 3339 with TOML's relaxations).
    static func isDateTime(_ token: String) -> Bool {
        let chars = Array(token)
        if chars.count >= 3, chars[2] == ":" { return isTime(chars[...]) }
        guard chars.count >= 10, isDate(chars[0..<10]) else { return false }
        if chars.count == 10 { return true }
        guard ["T", "t", " "].contains(chars[10]) else { return false }
        var rest = chars[11...]
        if let last = rest.last, last == "Z" || last == "z" {
            rest = rest.dropLast()
        } else if rest.count > 6, ["+", "-"].contains(rest[rest.endIndex - 6]) {
            guard isClock(rest[(rest.endIndex - 5)...], withSeconds: false) else { return false }
            rest = rest.dropLast(6)
        }
        return isTime(rest)
    }

    private static func isDate(_ chars: ArraySlice<Character>) -> Bool {
        let c = Array(chars)
        guard c.count == 10, c[4] == "-", c[7] == "-",
            let year = number(c[0..<4]), let month = number(c[5..<7]), let day = number(c[8..<10]),
            (1...12).contains(month)
        else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// HH:MM:SS with an optional fraction.
    private static func isTime(_ chars: ArraySlice<Character>) -> Bool {
        let c = Array(chars)
        guard c.count >= 8, isClock(c[0..<8], withSeconds: true) else { return false }
        if c.count == 8 { return true }
        return c[8] == "." && c.count > 9 && c[9...].allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isClock(_ chars: ArraySlice<Character>, withSeconds: Bool) -> Bool {
        let c = Array(chars)
        guard c.count == (withSeconds ? 8 : 5), c[2] == ":", let hour = number(c[0..<2]), let minute = number(c[3..<5])
        else { return false }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return false }
        guard withSeconds else { return true }
        guard c[5] == ":", let second = number(c[6..<8]) else { return false }
        return (0...60).contains(second)
    }

    private static func number(_ chars: ArraySlice<Character>) -> Int? {
        guard chars.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(String(chars))
    }
}
