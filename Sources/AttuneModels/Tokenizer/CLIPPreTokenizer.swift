// Text clean-up and pre-tokenisation of CLIP prompts as transformers 5 `CLIPTokenizer` (tokenizers backend) does
// them: mirrors the normalizer and pre_tokenizer in transformers models/clip/tokenization_clip.py, and the added-token
// extraction of huggingface/tokenizers (AddedVocabulary). Stable Diffusion users get this behaviour from diffusers.
//
// 1. The exact strings <|startoftext|> and <|endoftext|> in the raw text become their ids (special added tokens are
//    matched case-sensitively, before normalisation).
// 2. Each remaining segment: NFC, whitespace runs to one space, lowercase (each scalar alone, full Unicode mapping).
// 3. Keep the matches of `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`;
//    whitespace falls between matches and is dropped, so step 2's whitespace collapsing needs no code here.
// 4. ByteLevel's GPT-2 split runs on each piece. Pieces are single-class runs it leaves alone, except a special
//    literal produced by lowercasing (e.g. "<|ENDOFTEXT|>"), which it cuts into "<|", "endoftext", "|>".
//
// OpenAI's simple_tokenizer (the reference CLIP code) differs in ways that change ids:
// - it runs ftfy.fix_text (mojibake "cafÃ©" -> "café", ligature "ﬁ" -> "fi", curly quotes -> straight, full-width
//   "ＡＢＣ" -> "ABC", control characters removed, U+0085 read as Windows-1252 "…") and html.unescape twice
//   ("&amp;" -> "&"); transformers does neither;
// - Python's str.lower() turns a word-final capital sigma into "ς"; tokenizers gives "σ" ("ΟΔΟΣ" -> "οδοσ");
// - its regex is case-insensitive, so "'ſ" (long s) matches 's; transformers' regex is case-sensitive;
// - it recognises special tokens only after clean-up (open_clip's copy spells them <start_of_text>).
// Unicode tables: Swift's are newer than those inside tokenizers, which differs on recent characters only.
// Checked against tokenizers 0.23.3 over every scalar: NFC + lowercase agree on each single scalar; 4,657 code
// points unassigned in Unicode 14 (e.g. CJK extension H) are letters/numbers here but "other" in its regex. In
// 30,000 random multi-script strings the only other differences were NFC reordering marks whose combining class
// its tables lack (U+09FE, Unicode 10; U+0C3C, Unicode 14).

enum PreToken: Equatable {
    /// A special token written literally in the prompt.
    case special(Int32)
    /// A word for BPE, as UTF-8 bytes (never empty).
    case word([UInt8])
}

enum CLIPPreTokenizer {
    static func preTokens(of text: String) -> [PreToken] {
        let bytes = Array(text.utf8)
        var result = [PreToken]()
        var segmentStart = 0, i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"),
               let (id, length) = specialLiteral(at: i, count: bytes.count, unit: { UInt32(bytes[$0]) }) {
                appendWords(ofSegment: bytes[segmentStart..<i], to: &result)
                result.append(.special(id))
                i += length
                segmentStart = i
            } else {
                i += 1
            }
        }
        appendWords(ofSegment: bytes[segmentStart...], to: &result)
        return result
    }

    private static let specialLiterals: [(bytes: [UInt8], id: Int32)] = [
        (Array(BPEVocabulary.startOfText.utf8), BPEVocabulary.startID),
        (Array(BPEVocabulary.endOfText.utf8), BPEVocabulary.endID),
    ]

    /// The special literal starting at `index` of a text of `count` code units read through `unit`, if any.
    private static func specialLiteral(
        at index: Int, count: Int, unit: (Int) -> UInt32
    ) -> (id: Int32, length: Int)? {
        for literal in specialLiterals where count - index >= literal.bytes.count {
            if literal.bytes.indices.allSatisfy({ unit(index + $0) == UInt32(literal.bytes[$0]) }) {
                return (literal.id, literal.bytes.count)
            }
        }
        return nil
    }

    // MARK: One segment between literal special tokens

    private enum ScalarClass { case whitespace, letter, number, other }

    private static func appendWords(ofSegment segment: ArraySlice<UInt8>, to result: inout [PreToken]) {
        let scalars = normalized(segment)
        let classes = scalars.map(classify)
        var i = 0
        while i < scalars.count {
            switch classes[i] {
            case .whitespace:
                i += 1
            case .number:
                result.append(.word(utf8(scalars[i..<i + 1])))
                i += 1
            case .letter:
                let end = classes[i...].firstIndex { $0 != .letter } ?? scalars.count
                result.append(.word(utf8(scalars[i..<end])))
                i = end
            case .other:
                if let literal = specialLiteral(at: i, count: scalars.count, unit: { scalars[$0].value }) {
                    // Step 4: the GPT-2 split of "<|name|>".
                    let name = i + 2..<i + literal.length - 2
                    for range in [i..<i + 2, name, name.upperBound..<i + literal.length] {
                        result.append(.word(utf8(scalars[range])))
                    }
                    i += literal.length
                } else if let length = contractionLength(scalars, at: i) {
                    result.append(.word(utf8(scalars[i..<i + length])))
                    i += length
                } else {
                    let end = classes[i...].firstIndex { $0 != .other } ?? scalars.count
                    result.append(.word(utf8(scalars[i..<end])))
                    i = end
                }
            }
        }
    }

    /// NFC, then lowercase scalar by scalar (tokenizers' `Lowercase` maps each char alone, with no final-sigma rule).
    private static func normalized(_ segment: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        if segment.allSatisfy({ $0 < 0x80 }) {
            return segment.map { Unicode.Scalar(asciiLowercase($0)) }
        }
        // The standard library's NFC (the one String comparison uses). Foundation's precomposedStringWith-
        // CanonicalMapping on Linux leaves Hangul LV syllable + trailing jamo uncomposed and turns archaic jamo
        // sequences (U+1113 U+116B) into U+FFFD.
        let composed = String(decoding: String(decoding: segment, as: UTF8.self)._nfcCodeUnits, as: UTF8.self)
        var scalars = [Unicode.Scalar]()
        scalars.reserveCapacity(composed.unicodeScalars.count)
        for scalar in composed.unicodeScalars {
            if scalar.isASCII {
                scalars.append(Unicode.Scalar(asciiLowercase(UInt8(scalar.value))))
            } else {
                scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return scalars
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// \s is Unicode White_Space; \p{L} and \p{N} are the general categories L* and N*.
    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        if scalar.isASCII {
            switch UInt8(scalar.value) {
            case 0x09...0x0D, 0x20: return .whitespace
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
            default: return .other
            }
        }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// Length of `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll` or `'d` at `index`, if one starts there (case-sensitive).
    private static func contractionLength(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard scalars[index] == "'", index + 1 < scalars.count else { return nil }
        let next = scalars[index + 1]
        if "stmd".unicodeScalars.contains(next) { return 2 }
        guard index + 2 < scalars.count else { return nil }
        switch (next, scalars[index + 2]) {
        case ("r", "e"), ("v", "e"), ("l", "l"): return 3
        default: return nil
        }
    }

    private static func utf8(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { bytes.append(contentsOf: scalar.utf8) }
        return bytes
    }
}
