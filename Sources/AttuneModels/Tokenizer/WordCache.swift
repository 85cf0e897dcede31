// A thread-safe memo of BPE results per word (OpenAI's simple_tokenizer and tokenizers' BPE both cache words).
import Foundation

/// Keys are the word's UTF-8 bytes rather than a String: Swift compares Strings by canonical equivalence, which
/// would let two differently spelled (and differently tokenised) words share an entry.
final class WordCache: @unchecked Sendable {
    /// Bounds memory in a long session; prompts repeat words, so refilling after a reset is cheap.
    static let capacity = 10_000

    private let lock = NSLock()
    private var entries = [[UInt8]: [Int32]]()

    func ids(for word: [UInt8], compute: ([UInt8]) -> [Int32]) -> [Int32] {
        if let cached = lock.withLock({ entries[word] }) { return cached }
        let ids = compute(word)
        lock.withLock {
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[word] = ids
        }
        return ids
    }
}
