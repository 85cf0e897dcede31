// JSONParser (strict RFC 8259) and JSONQuoting, used for safetensors headers.
import AttuneTensor
import Testing

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -0, 2.5, 1e3, 2.0, true, false, null], "b": {}, "c": "x"} "#)
        #expect(value == .object([
            "a": .array([.integer(1), .integer(0), .number(2.5), .number(1000), .number(2), .bool(true), .bool(false), .null]),
            "b": .object([:]),
            "c": .string("x"),
        ]))
        // Integers beyond Int64 are kept as numbers rather than wrapped.
        #expect(try JSONParser.parse("9223372036854775808") == .number(9223372036854775808))
        #expect(try JSONParser.parse("-9223372036854775808") == .integer(Int.min))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 ✓""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\té😀 ✓"))
    }

    @Test func rejectsInvalidTextWithItsOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of JSON"),
            ("01", 0, "leading zero in number"),
            ("1.", 2, "expected digits after '.' in number"),
            ("-", 1, "expected digits in number"),
            ("1e", 2, "expected digits in exponent"),
            ("tru", 3, "invalid literal (expected 'true')"),
            ("[1,]", 3, "unexpected character ']'"),
            ("[1 2]", 3, "expected ',' or ']' in array"),
            (#"{"a" 1}"#, 5, "expected ':' after object key"),
            (#"{1:2}"#, 1, "expected a string key in object"),
            (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' in object"),
            ("\"a\u{1}\"", 2, "unescaped control character in string"),
            (#""\x""#, 3, #"invalid escape '\x' in string"#),
            (#""\ud83d""#, 7, #"unpaired surrogate in \u escape"#),
            (#""\udc00""#, 7, #"unpaired surrogate in \u escape"#),
            (#""\u12g4""#, 5, #"invalid hex digit in \u escape"#),
            (#""abc"#, 4, "unterminated string"),
            ("{} {}", 3, "unexpected text after the JSON value"),
        ]
        for (text, offset, reason) in cases {
            #expect(throws: JSONSyntaxError(offset: offset, reason: reason), "\(text)") { try JSONParser.parse(text) }
        }
    }

    @Test func quotingRoundTripsThroughTheParser() throws {
        let texts = ["plain", "quote\" backslash\\ slash/", "\u{0}\u{1}\u{1F}\u{7F}", "\n\r\t\u{8}\u{C}", "é 😀"]
        for text in texts {
            #expect(try JSONParser.parse(JSONQuoting.quoted(text)) == .string(text))
        }
        // serde_json's spelling, so headers match the reference byte for byte.
        #expect(JSONQuoting.quoted("a\"\n\u{1}é/") == #""a\"\n\u0001é/""#)
    }
}
