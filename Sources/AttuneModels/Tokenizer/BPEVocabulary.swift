// The CLIP byte-pair-encoding model: token strings by id, merge ranks, and the merge loop applied to one word.
// Mirrors `SimpleTokenizer.bpe` in openai/CLIP clip/simple_tokenizer.py and the BPE model of huggingface/tokenizers
// with `end_of_word_suffix="</w>"` (the two give the same result for a merge list in training order).

struct BPEMerge: Sendable {
    /// Position in the merge list: lower ranks merge first.
    let rank: Int32
    /// Id of the concatenated symbol.
    let merged: Int32
}

/// One line of a merge list: `left right`, meaning the adjacent symbols left, right become left+right.
struct MergeRule {
    /// UTF-8 spellings of the two symbols (slices of the file's bytes).
    let left: ArraySlice<UInt8>
    let right: ArraySlice<UInt8>
    /// 1-based line in its file, for error messages.
    let line: Int
}

/// A token's UTF-8 spelling as a dictionary key. String keys would be slower (Swift hashes non-ASCII Strings
/// through Unicode normalisation) and would treat canonically equivalent spellings as one key.
private struct Spelling: Hashable {
    let bytes: ArraySlice<UInt8>

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

struct BPEVocabulary: Sendable {
    static let endOfWord = "</w>"
    static let startOfText = "<|startoftext|>"
    static let endOfText = "<|endoftext|>"
    static let startID: Int32 = 49406
    static let endID: Int32 = 49407

    /// Token strings by id, spelled with `ByteLevelAlphabet` symbols.
    let tokens: [String]
    /// Merge rules keyed by `pairKey(left id, right id)`.
    let merges: [UInt64: BPEMerge]
    /// Id of each byte's symbol inside a word, and at the end of a word (with "</w>").
    let byteSymbols: [Int32]
    let finalByteSymbols: [Int32]

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// `tokens` are UTF-8 spellings by id. Checks that every byte symbol, merge part and merge result is a token and
    /// that the special tokens have the ids SD 1.x text encoders were trained with.
    init(tokens spellings: [[UInt8]], rules: [MergeRule], vocabularyPath: String, mergesPath: String) throws {
        var ids = [Spelling: Int32](minimumCapacity: spellings.count)
        for (id, spelling) in spellings.enumerated() { ids[Spelling(bytes: spelling[...])] = Int32(id) }
        func id(_ text: String) -> Int32? { ids[Spelling(bytes: Array(text.utf8)[...])] }

        for (token, expected) in [(Self.startOfText, Self.startID), (Self.endOfText, Self.endID)] {
            guard let found = id(token) else {
                throw TokenizerError.malformedVocabulary(path: vocabularyPath, reason: "it lacks the token \(token)")
            }
            guard found == expected else {
                throw TokenizerError.malformedVocabulary(
                    path: vocabularyPath, reason: "\(token) has id \(found); CLIP text encoders expect \(expected)")
            }
        }

        var byteSymbols = [Int32](repeating: 0, count: 256), finalByteSymbols = byteSymbols
        for byte in 0..<256 {
            let symbol = String(ByteLevelAlphabet.symbols[byte])
            guard let inner = id(symbol), let final = id(symbol + Self.endOfWord) else {
                throw TokenizerError.malformedVocabulary(
                    path: vocabularyPath,
                    reason: "it lacks the symbol \"\(symbol)\" or \"\(symbol)\(Self.endOfWord)\" of byte \(byte)")
            }
            byteSymbols[byte] = inner
            finalByteSymbols[byte] = final
        }

        var merges = [UInt64: BPEMerge](minimumCapacity: rules.count)
        var joined = [UInt8]()
        for (rank, rule) in rules.enumerated() {
            let text = { (bytes: ArraySlice<UInt8>) in String(decoding: bytes, as: UTF8.self) }
            guard let left = ids[Spelling(bytes: rule.left)], let right = ids[Spelling(bytes: rule.right)] else {
                let missing = ids[Spelling(bytes: rule.left)] == nil ? rule.left : rule.right
                throw TokenizerError.malformedMerges(
                    path: mergesPath, line: rule.line, reason: "\"\(text(missing))\" is not in the vocabulary")
            }
            joined.removeAll(keepingCapacity: true)
            joined += rule.left
            joined += rule.right
            guard let merged = ids[Spelling(bytes: joined[...])] else {
                throw TokenizerError.malformedMerges(
                    path: mergesPath, line: rule.line,
                    reason: "the merge result \"\(text(joined[...]))\" is not in the vocabulary")
            }
            // A repeated pair keeps its first (lowest) rank, as a rank table built front to back would.
            let key = Self.pairKey(left, right)
            if merges[key] == nil { merges[key] = BPEMerge(rank: Int32(rank), merged: merged) }
        }

        self.tokens = spellings.map { String(decoding: $0, as: UTF8.self) }
        self.merges = merges
        self.byteSymbols = byteSymbols
        self.finalByteSymbols = finalByteSymbols
    }

    /// BPE of one pre-tokenised word given as UTF-8 bytes (non-empty): start from one symbol per byte, the last
    /// one carrying "</w>", then repeatedly merge every occurrence of the lowest-ranked adjacent pair.
    func encodeWord(_ bytes: [UInt8]) -> [Int32] {
        guard let last = bytes.last else { return [] }
        var symbols = bytes.dropLast().map { byteSymbols[Int($0)] }
        symbols.append(finalByteSymbols[Int(last)])
        var scratch = [Int32]()
        scratch.reserveCapacity(symbols.count)
        while symbols.count > 1 {
            var best: BPEMerge?
            var bestPair: (Int32, Int32) = (0, 0)
            for i in 0..<(symbols.count - 1) {
                if let merge = merges[Self.pairKey(symbols[i], symbols[i + 1])], merge.rank < (best?.rank ?? .max) {
                    best = merge
                    bestPair = (symbols[i], symbols[i + 1])
                }
            }
            guard let best else { break }
            scratch.removeAll(keepingCapacity: true)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count, symbols[i] == bestPair.0, symbols[i + 1] == bestPair.1 {
                    scratch.append(best.merged)
                    i += 2
                } else {
                    scratch.append(symbols[i])
                    i += 1
                }
            }
            swap(&symbols, &scratch)
        }
        return symbols
    }

    /// The text a token stands for: its symbols turned back into bytes, decoded as UTF-8 (an incomplete
    /// multi-byte character becomes U+FFFD), without the "</w>" marker.
    func readableText(of id: Int32) -> String {
        var token = Substring(tokens[Int(id)])
        if token.hasSuffix(Self.endOfWord) { token = token.dropLast(Self.endOfWord.count) }
        var bytes = [UInt8]()
        for scalar in token.unicodeScalars {
            if let byte = ByteLevelAlphabet.byte(for: scalar) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
