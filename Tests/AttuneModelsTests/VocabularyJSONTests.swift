// The vocab.json reader: JSON string escapes, integer ids, and syntax errors reported with their byte offset.
@testable import AttuneModels
import Testing

@Suite struct VocabularyJSONTests {
    private func parse(_ text: String) throws -> [(token: String, id: Int)] {
        try VocabularyJSON.parse(Array(text.utf8), path: "vocab.json").map {
            (String(decoding: $0.token, as: UTF8.self), $0.id)
        }
    }

    @Test func readsEntriesAndEscapes() throws {
        let text = #" { "a</w>": 0, "\u00e9": 12, "\"q\\": 3 ,"\ud83d\ude00":4, "x\/y\t": 49407, "é": 5 } "# + "\n"
        let entries = try parse(text)
        #expect(entries.map(\.token) == ["a</w>", "é", "\"q\\", "😀", "x/y\t", "é"])
        #expect(entries.map(\.id) == [0, 12, 3, 4, 49407, 5])
        #expect(try parse("{}").isEmpty)
    }

    @Test func syntaxErrorsNameTheByteOffset() {
        let cases: [(String, String)] = [
            (#"{"a" 1}"#, "at byte 5: expected ':'"),
            (#"{"a": 01}"#, "at byte 6: expected an integer without leading zeros"),
            (#"{"a": -1}"#, "at byte 6: expected a non-negative integer id"),
            (#"{"a": 1.5}"#, "at byte 7: expected '}'"),
            (#"{"a": 1,}"#, "at byte 8: expected '\"'"),
            (#"{"a": 1} x"#, "at byte 9: expected the end of the file"),
            (#"{"\ud800": 1}"#, "expected the low half of a surrogate pair"),
            (#"{"\q": 1}"#, "at byte 3: expected one of"),
            ("{\"a\u{1}\": 1}", "at byte 3: expected a string character"),
            (#"{"a": 1"#, "at byte 7: expected '}', found the end of the file"),
            (#"["a"]"#, "at byte 0: expected '{'"),
        ]
        for (text, message) in cases {
            let thrown = #expect(throws: TokenizerError.self) { try parse(text) }
            guard case let .malformedVocabulary("vocab.json", reason)? = thrown else { continue }
            #expect(reason.contains(message), "\(text): \(reason)")
        }
    }
}
