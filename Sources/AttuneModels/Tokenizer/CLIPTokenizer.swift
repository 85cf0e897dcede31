// The CLIP BPE tokenizer of Stable Diffusion 1.x: text to the 77 ids the text encoder takes.
// Ids match transformers 5 `CLIPTokenizer` called as diffusers' `encode_prompt` does
// (`padding="max_length", max_length=77, truncation=True`); see CLIPPreTokenizer.swift for the text clean-up.
import Foundation

public final class CLIPTokenizer: Sendable {
    public static let startToken: Int32 = BPEVocabulary.startID
    public static let endToken: Int32 = BPEVocabulary.endID
    public static let maxLength = 77

    let vocabulary: BPEVocabulary
    private let cache = WordCache()

    init(vocabulary: BPEVocabulary) {
        self.vocabulary = vocabulary
    }

    /// Loads a diffusers folder's `tokenizer/vocab.json` and `tokenizer/merges.txt`.
    public convenience init(vocabularyJSON: URL, merges: URL) throws {
        self.init(vocabulary: try .diffusers(vocabularyJSON: vocabularyJSON, merges: merges))
    }

    /// Where the package resource `bpe_simple_vocab_16e6.txt.gz` lies.
    static func bundledVocabularyURL() throws -> URL {
        guard let url = Bundle.module.url(forResource: "bpe_simple_vocab_16e6.txt", withExtension: "gz") else {
            throw TokenizerError.missingResource(name: "bpe_simple_vocab_16e6.txt.gz")
        }
        return url
    }

    private static let bundledResult = Result<CLIPTokenizer, any Error> {
        CLIPTokenizer(vocabulary: try .openAI(gzipFile: try bundledVocabularyURL()))
    }

    /// The tokenizer built from the bundled OpenAI vocabulary; loaded on first use and shared afterwards.
    public static func bundled() throws -> CLIPTokenizer {
        try bundledResult.get()
    }

    /// The prompt as SD 1.x encodes it: `[start] + content[..<75] + [end]`, padded with `end` to 77 ids.
    public func encode(_ text: String) -> TokenizedPrompt {
        let content = contentIDs(text)
        let kept = content.prefix(Self.maxLength - 2)
        var ids = [Self.startToken] + kept + [Self.endToken]
        ids += repeatElement(Self.endToken, count: Self.maxLength - ids.count)
        return TokenizedPrompt(
            ids: ids, tokens: kept.map(decode), droppedTokenCount: content.count - kept.count)
    }

    /// BPE ids of the prompt without start/end framing, padding or truncation.
    public func contentIDs(_ text: String) -> [Int32] {
        var ids = [Int32]()
        for preToken in CLIPPreTokenizer.preTokens(of: text) {
            switch preToken {
            case let .special(id):
                ids.append(id)
            case let .word(bytes):
                ids += cache.ids(for: bytes, compute: vocabulary.encodeWord)
            }
        }
        return ids
    }

    /// Readable text of one token: its bytes decoded as UTF-8 (U+FFFD for a partial character), "</w>" removed.
    public func decode(_ id: Int32) -> String {
        precondition(vocabulary.tokens.indices.contains(Int(id)), "token id \(id) is outside the vocabulary")
        return vocabulary.readableText(of: id)
    }
}
