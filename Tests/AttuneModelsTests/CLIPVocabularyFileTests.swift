// Loading CLIP vocabularies from files: a diffusers vocab.json + merges.txt must give the bundled ids, and missing,
// corrupt or inconsistent files must raise a TokenizerError that names the file (never crash).
@testable import AttuneModels
import AttuneTestSupport
import CZlib
import Foundation
import Testing

@Suite final class CLIPVocabularyFileTests {
    let bundled: CLIPTokenizer
    let directory = Fixtures.temporaryDirectory("clip-vocabulary")

    init() throws {
        bundled = try CLIPTokenizer.bundled()
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The bundled merges in rank order, as merges.txt lines.
    private var bundledMergeLines: [String] {
        let tokens = bundled.vocabulary.tokens
        return bundled.vocabulary.merges.sorted { $0.value.rank < $1.value.rank }.map { key, _ in
            tokens[Int(key >> 32)] + " " + tokens[Int(key & 0xFFFF_FFFF)]
        }
    }

    /// Writes vocab.json (token -> id) and merges.txt ("#version" header, then the merge lines) into `directory`.
    /// The JSON is written by hand: JSONSerialization takes over a second for 49,408 entries on Linux.
    private func writeDiffusersFiles(
        ids: [(String, Int)]? = nil, mergeLines: [String]? = nil
    ) throws -> (vocabulary: URL, merges: URL) {
        let ids = ids ?? Array(bundled.vocabulary.tokens.enumerated().map { ($1, $0) })
        let quoted = { (token: String) in
            "\"" + token.unicodeScalars.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : "\($0)" }.joined() + "\""
        }
        let json = "{" + ids.map { quoted($0) + ": " + String($1) }.joined(separator: ", ") + "}"
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        try Data(json.utf8).write(to: vocabularyURL)
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let text = (["#version: 0.2"] + (mergeLines ?? bundledMergeLines)).joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: mergesURL)
        return (vocabularyURL, mergesURL)
    }

    /// Writes `bytes` as a gzip file with zlib and returns its URL.
    private func writeGzip(_ bytes: [UInt8], name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        let file = try #require(gzopen(url.path, "wb"))
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        #expect(gzclose(file) == Z_OK && Int(written) == bytes.count)
        return url
    }

    private func error(_ body: () throws -> Any) -> TokenizerError? {
        #expect(throws: TokenizerError.self) { _ = try body() }
    }

    @Test func diffusersFilesGiveBundledIDs() throws {
        let files = try writeDiffusersFiles()
        let loaded = try CLIPTokenizer(vocabularyJSON: files.vocabulary, merges: files.merges)
        #expect(loaded.vocabulary.tokens == bundled.vocabulary.tokens)
        #expect(loaded.vocabulary.merges.count == BPEVocabulary.openAIMergeCount)
        for prompt in try TokenFixtures.load().prompts {
            let encoded = loaded.encode(prompt.text)
            #expect(encoded == bundled.encode(prompt.text), "\(prompt.text.debugDescription)")
            #expect(encoded.ids == prompt.ids, "\(prompt.text.debugDescription)")
        }
    }

    @Test func missingFilesAreReported() {
        let missing = directory.appendingPathComponent("absent.txt.gz")
        let openAI = error { try BPEVocabulary.openAI(gzipFile: missing) }
        guard case let .unreadableFile(path, _) = openAI else {
            Issue.record("got \(String(describing: openAI))"); return
        }
        #expect(path == missing.path)
        #expect(openAI?.errorDescription?.contains(missing.path) == true)

        let vocabulary = directory.appendingPathComponent("vocab.json")
        let diffusers = error { try CLIPTokenizer(vocabularyJSON: vocabulary, merges: missing) }
        guard case .unreadableFile(vocabulary.path, _)? = diffusers else {
            Issue.record("got \(String(describing: diffusers))"); return
        }
    }

    @Test func corruptGzipIsReported() throws {
        let garbage = directory.appendingPathComponent("garbage.txt.gz")
        try Data("this is not gzip data".utf8).write(to: garbage)
        let notGzip = error { try BPEVocabulary.openAI(gzipFile: garbage) }
        guard case let .corruptCompressedFile(path, _, _)? = notGzip else {
            Issue.record("got \(String(describing: notGzip))"); return
        }
        #expect(path == garbage.path)

        // The real file cut to 100 kB ends before the 48,895 lines CLIP needs.
        let truncated = directory.appendingPathComponent("truncated.txt.gz")
        try Data(contentsOf: CLIPTokenizer.bundledVocabularyURL()).prefix(100_000).write(to: truncated)
        let cut = error { try BPEVocabulary.openAI(gzipFile: truncated) }
        guard case let .corruptCompressedFile(_, offset, reason)? = cut else {
            Issue.record("got \(String(describing: cut))"); return
        }
        #expect(offset == 100_000 && reason.contains("ends before"))
    }

    @Test func malformedOpenAIMergeListsAreReported() throws {
        let header = "\"bpe_simple_vocab_16e6.txt#version: 0.2\n"
        let cases: [(name: String, text: [UInt8], line: Int)] = [
            ("noheader.txt.gz", Array("i n\nt h\n".utf8), 1),
            ("short.txt.gz", Array((header + "i n\nt h\n").utf8), 4),
            ("threeparts.txt.gz", Array((header + "i n\nt h e\n").utf8), 3),
            ("badutf8.txt.gz", Array((header + "i n\n").utf8) + [0xC3, 0x28, 0x20, 0x61, 0x0A], 3),
        ]
        for (name, text, line) in cases {
            let url = try writeGzip(text, name: name)
            let thrown = error { try BPEVocabulary.openAI(gzipFile: url) }
            guard case let .malformedMerges(path, reportedLine, _)? = thrown else {
                Issue.record("\(name): got \(String(describing: thrown))"); continue
            }
            #expect(path == url.path && reportedLine == line, "\(name): \(thrown?.errorDescription ?? "")")
        }
    }

    @Test func vocabularyJSONWithBadIDsIsReported() throws {
        func reason(_ ids: [(String, Int)]) throws -> String? {
            let files = try writeDiffusersFiles(ids: ids, mergeLines: [])
            let thrown = error { try CLIPTokenizer(vocabularyJSON: files.vocabulary, merges: files.merges) }
            guard case let .malformedVocabulary(path, reason)? = thrown else { return nil }
            #expect(path == files.vocabulary.path)
            return reason
        }
        let ids = Array(bundled.vocabulary.tokens.enumerated().map { ($1, $0) })
        #expect(try reason(ids.map { $0 == "in" ? ($0, 60_000) : ($0, $1) })?.contains("outside 0..<49408") == true)
        #expect(try reason(ids.map { $0 == "in" ? ($0, 0) : ($0, $1) })?.contains("share id 0") == true)

        let notJSON = directory.appendingPathComponent("broken.json")
        try Data("{\"a\": ".utf8).write(to: notJSON)
        let files = try writeDiffusersFiles(ids: [], mergeLines: [])
        let thrown = error { try CLIPTokenizer(vocabularyJSON: notJSON, merges: files.merges) }
        guard case .malformedVocabulary(notJSON.path, _)? = thrown else {
            Issue.record("got \(String(describing: thrown))"); return
        }
    }

    @Test func vocabularyWithoutRequiredTokensIsReported() {
        let spellings = bundled.vocabulary.tokens.map { Array($0.utf8) }
        func reason(_ edit: (inout [[UInt8]]) -> Void) -> String? {
            var edited = spellings
            edit(&edited)
            let thrown = error {
                try BPEVocabulary(tokens: edited, rules: [], vocabularyPath: "v.json", mergesPath: "m.txt")
            }
            guard case let .malformedVocabulary("v.json", reason)? = thrown else { return nil }
            return reason
        }
        #expect(reason { $0[49407] = Array("<|end|>".utf8) }?.contains("lacks the token <|endoftext|>") == true)
        #expect(reason { $0.swapAt(49406, 49407) }?.contains("expect 49406") == true)
        #expect(reason { $0[0] = Array("unused".utf8) }?.contains("byte 33") == true)
    }

    @Test func inconsistentMergesTxtIsReported() throws {
        func failure(_ lines: [String]) throws -> (line: Int, reason: String)? {
            let files = try writeDiffusersFiles(mergeLines: lines)
            let thrown = error { try CLIPTokenizer(vocabularyJSON: files.vocabulary, merges: files.merges) }
            guard case let .malformedMerges(path, line, reason)? = thrown else { return nil }
            #expect(path == files.merges.path)
            return (line, reason)
        }
        // Line 1 is the "#version" header.
        let unknownPart = try failure(["i n", "qqqq z"])
        #expect(unknownPart?.line == 3 && unknownPart?.reason.contains("\"qqqq\" is not in the vocabulary") == true)
        let unknownResult = try failure(["i n", "Ā Ā"])
        #expect(unknownResult?.line == 3 && unknownResult?.reason.contains("merge result \"ĀĀ\"") == true)
        let oneSymbol = try failure(["i n", "in"])
        #expect(oneSymbol?.line == 3 && oneSymbol?.reason.contains("two symbols") == true)
    }
}
