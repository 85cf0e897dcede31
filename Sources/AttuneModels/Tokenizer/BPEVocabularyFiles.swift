// Reading the two vocabulary formats: OpenAI's bpe_simple_vocab_16e6.txt.gz (ids implied by the merge order,
// as in openai/CLIP clip/simple_tokenizer.py) and a diffusers `tokenizer/` folder's vocab.json + merges.txt
// (as transformers `CLIPTokenizer.from_pretrained` reads them).
import Foundation

extension BPEVocabulary {
    /// SD 1.x / OpenAI CLIP use the first 48,894 merges of the file (`merges[1:49152-256-2+1]`), giving
    /// 256 + 256 + 48,894 + 2 = 49,408 tokens.
    static let openAIMergeCount = 48_894

    /// Builds the vocabulary from OpenAI's gzip merge list: 256 byte symbols in `bytes_to_unicode` order, the same
    /// with "</w>", one token per merge, then <|startoftext|> and <|endoftext|>.
    static func openAI(gzipFile url: URL) throws -> BPEVocabulary {
        let path = url.path
        let text = try Gunzip.lines(openAIMergeCount + 1, ofCompressed: try readFile(url), path: path)
        try requireUTF8Merges(text, path: path)
        var lines = Lines(text)
        guard let header = lines.next(), String(decoding: header, as: UTF8.self).contains("#version") else {
            throw TokenizerError.malformedMerges(
                path: path, line: 1, reason: "expected a \"#version\" header line")
        }
        var rules = [MergeRule]()
        rules.reserveCapacity(openAIMergeCount)
        for number in 2...(openAIMergeCount + 1) {
            guard let line = lines.next() else {
                throw TokenizerError.malformedMerges(
                    path: path, line: number,
                    reason: "the file ends after \(number - 2) merges; CLIP uses the first \(openAIMergeCount)")
            }
            rules.append(try mergeRule(line, number: number, path: path))
        }
        let symbols = ByteLevelAlphabet.orderedBytes.map { Array(String(ByteLevelAlphabet.symbols[Int($0)]).utf8) }
        let specials = [startOfText, endOfText].map { Array($0.utf8) }
        let tokens = symbols + symbols.map { $0 + endOfWord.utf8 } + rules.map { Array($0.left + $0.right) } + specials
        return try BPEVocabulary(tokens: tokens, rules: rules, vocabularyPath: path, mergesPath: path)
    }

    /// Builds the vocabulary from a diffusers folder's vocab.json (token → id, ids 0..<count) and merges.txt
    /// (an optional "#version" header, then one `left right` pair per line in rank order).
    static func diffusers(vocabularyJSON: URL, merges mergesURL: URL) throws -> BPEVocabulary {
        let tokens = try denseTokens(fromJSON: try readFile(vocabularyJSON), path: vocabularyJSON.path)
        let mergesPath = mergesURL.path
        let text = try readFile(mergesURL)
        try requireUTF8Merges(text, path: mergesPath)
        var rules = [MergeRule]()
        var lines = Lines(text)
        var number = 0
        while let line = lines.next() {
            number += 1
            if line.isEmpty || line.starts(with: "#version".utf8) { continue }
            rules.append(try mergeRule(line, number: number, path: mergesPath))
        }
        return try BPEVocabulary(
            tokens: tokens, rules: rules,
            vocabularyPath: vocabularyJSON.path, mergesPath: mergesPath)
    }

    /// The 1-based line of the first invalid UTF-8 sequence, or nil when `text` is valid UTF-8.
    private static func firstInvalidUTF8Line(_ text: [UInt8]) -> Int? {
        // Repairing decoding replaces bad sequences with U+FFFD, which changes the byte count.
        func isValid<C: Collection<UInt8>>(_ bytes: C) -> Bool {
            String(decoding: bytes, as: UTF8.self).utf8.count == bytes.count
        }
        guard !isValid(text) else { return nil }
        // "\n" never occurs inside a multi-byte sequence, so the bad bytes lie within one line.
        var lines = Lines(text)
        var number = 1
        while let line = lines.next(), isValid(line) { number += 1 }
        return number
    }

    private static func requireUTF8Merges(_ text: [UInt8], path: String) throws {
        if let line = firstInvalidUTF8Line(text) {
            throw TokenizerError.malformedMerges(path: path, line: line, reason: "the line is not valid UTF-8")
        }
    }

    private static func readFile(_ url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// vocab.json's ids must cover 0..<count exactly once, so that they index the text encoder's embedding rows.
    private static func denseTokens(fromJSON json: [UInt8], path: String) throws -> [[UInt8]] {
        if let line = firstInvalidUTF8Line(json) {
            throw TokenizerError.malformedVocabulary(path: path, reason: "line \(line) is not valid UTF-8")
        }
        let entries = try VocabularyJSON.parse(json, path: path)
        var tokens = [[UInt8]?](repeating: nil, count: entries.count)
        for (token, id) in entries {
            let text = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
            guard tokens.indices.contains(id) else {
                throw TokenizerError.malformedVocabulary(
                    path: path, reason: "token \"\(text(token))\" has id \(id), outside 0..<\(entries.count)")
            }
            if let other = tokens[id] {
                let reason = other == token
                    ? "token \"\(text(token))\" appears twice"
                    : "tokens \"\(text(other))\" and \"\(text(token))\" share id \(id)"
                throw TokenizerError.malformedVocabulary(path: path, reason: reason)
            }
            tokens[id] = token
        }
        // `count` distinct ids in 0..<count fill every slot, so nothing is dropped here.
        return tokens.compactMap { $0 }
    }

    private static func mergeRule(_ line: ArraySlice<UInt8>, number: Int, path: String) throws -> MergeRule {
        let space = UInt8(ascii: " ")
        guard let gap = line.firstIndex(of: space), gap > line.startIndex, gap + 1 < line.endIndex,
              !line[(gap + 1)...].contains(space) else {
            throw TokenizerError.malformedMerges(
                path: path, line: number, reason: "expected two symbols separated by one space")
        }
        return MergeRule(left: line[..<gap], right: line[(gap + 1)...], line: number)
    }
}

/// Lines of a byte buffer split at "\n", without a trailing "\r"; a final empty line after the last "\n" is not
/// reported.
private struct Lines: IteratorProtocol {
    private let bytes: [UInt8]
    private var start = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> ArraySlice<UInt8>? {
        guard start < bytes.count else { return nil }
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var line = bytes[start..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        start = end + 1
        return line
    }
}
