// How target-prompt tokens correspond to source-prompt tokens, for Prompt-to-Prompt's cross-attention
// replacement: the word-swap mapper (words at the same place) and the refinement alignment
// (Needleman-Wunsch over token ids). Mirrors google/prompt-to-prompt seq_aligner.py.
import AttuneModels
import Foundation

public enum TokenAlignmentError: LocalizedError, Equatable {
    case wordCountsDiffer(source: Int, target: Int)

    public var errorDescription: String? {
        switch self {
        case .wordCountsDiffer(let s, let t):
            return "Prompt-to-Prompt word swap needs prompts with the same number of words (source has \(s), target \(t)); use refine mode for other edits."
        }
    }
}

public enum TokenAlignment {
    public static let length = 77

    /// Token positions (1-based after the start token) of the word at `place` in `text` split on spaces
    /// (P2P's get_word_inds: decoded token lengths are summed until they cover the word).
    public static func wordTokenPositions(_ text: String, place: Int, tokenizer: CLIPTokenizer) -> [Int] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let pieces = tokenizer.contentIDs(text).map { tokenizer.decode($0) }
        var out: [Int] = [], length = 0, pointer = 0
        for (i, piece) in pieces.enumerated() where pointer < words.count {
            length += piece.count
            if pointer == place { out.append(i + 1) }
            if length >= words[pointer].count {
                pointer += 1
                length = 0
            }
        }
        return out
    }

    /// The 77x77 word-swap mapper M (row-major): target map column n = Σ_w source map column w · M[w][n].
    /// Words that differ map their tokens onto each other; a word split into k target tokens spreads 1/k.
    public static func replacementMapper(source: String, target: String, tokenizer: CLIPTokenizer) throws -> [Float] {
        let ws = source.split(separator: " ", omittingEmptySubsequences: false), wt = target.split(separator: " ", omittingEmptySubsequences: false)
        guard ws.count == wt.count else { throw TokenAlignmentError.wordCountsDiffer(source: ws.count, target: wt.count) }
        let changed = (0..<wt.count).filter { ws[$0] != wt[$0] }
        let sourceInds = changed.map { wordTokenPositions(source, place: $0, tokenizer: tokenizer) }
        let targetInds = changed.map { wordTokenPositions(target, place: $0, tokenizer: tokenizer) }
        var m = [Float](repeating: 0, count: length * length)
        var i = 0, j = 0, current = 0
        while i < length && j < length {
            if current < sourceInds.count, let first = sourceInds[current].first, first == i {
                let s = sourceInds[current], t = targetInds[current]
                if s.count == t.count {
                    for (a, b) in zip(s, t) { m[a * length + b] = 1 }
                } else {
                    for a in s { for b in t { m[a * length + b] = 1 / Float(t.count) } }
                }
                current += 1
                i += s.count
                j += t.count
            } else if current < sourceInds.count {
                m[i * length + j] = 1
                i += 1
                j += 1
            } else {
                m[j * length + j] = 1
                i += 1
                j += 1
            }
        }
        return m
    }

    /// For each target position j: the aligned source position and whether it has one (alpha 1) or is new (0).
    /// Global alignment with gap 0, match 1, mismatch -1; ties prefer left, then up, then diagonal, as P2P.
    public static func refinementMapper(source: String, target: String, tokenizer: CLIPTokenizer) -> (mapper: [Int], alphas: [Float]) {
        // Framed like the encoded prompts (at most 75 content tokens, as after truncation).
        let x = [CLIPTokenizer.startToken] + tokenizer.contentIDs(source).prefix(length - 2) + [CLIPTokenizer.endToken]
        let y = [CLIPTokenizer.startToken] + tokenizer.contentIDs(target).prefix(length - 2) + [CLIPTokenizer.endToken]
        let (nx, ny) = (x.count, y.count)
        var score = [[Int]](repeating: [Int](repeating: 0, count: ny + 1), count: nx + 1)
        var trace = [[Int]](repeating: [Int](repeating: 0, count: ny + 1), count: nx + 1)
        for j in 1...ny { trace[0][j] = 1 }
        for i in 1...nx { trace[i][0] = 2 }
        trace[0][0] = 4
        for i in 1...nx {
            for j in 1...ny {
                let left = score[i][j - 1], up = score[i - 1][j]
                let diag = score[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 1 : -1)
                let best = max(left, up, diag)
                score[i][j] = best
                trace[i][j] = best == left ? 1 : best == up ? 2 : 3
            }
        }
        var pairs: [(Int, Int)] = []  // (target position, source position or -1)
        var i = nx, j = ny
        while i > 0 || j > 0 {
            switch trace[i][j] {
            case 3: i -= 1; j -= 1; pairs.append((j, i))
            case 1: j -= 1; pairs.append((j, -1))
            case 2: i -= 1
            default: i = 0; j = 0
            }
        }
        pairs.reverse()
        var mapper = [Int](repeating: 0, count: length), alphas = [Float](repeating: 1, count: length)
        for (k, pair) in pairs.enumerated() where k < length {
            // A gap (-1) indexes the last position, as torch's negative indexing does; its alpha is 0.
            mapper[k] = pair.1 >= 0 ? pair.1 : length - 1
            alphas[k] = pair.1 >= 0 ? 1 : 0
        }
        for k in pairs.count..<length { mapper[k] = ny + (k - pairs.count) }
        return (mapper, alphas)
    }
}
