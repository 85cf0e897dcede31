// GPT-2's byte-to-symbol table (mirrors `bytes_to_unicode` in openai/CLIP clip/simple_tokenizer.py).
// BPE works on strings of these symbols so that every byte, including spaces and control bytes, is a visible
// character in the vocabulary files.

enum ByteLevelAlphabet {
    /// Bytes in vocabulary order: the printable ones ("!"..."~", "¡"..."¬", "®"..."ÿ") first, then the other 68.
    /// Vocabulary id k (k < 256) is the symbol of `orderedBytes[k]`; id 256 + k is that symbol with "</w>".
    static let orderedBytes: [UInt8] = (0...255).filter(isPrintable) + (0...255).filter { !isPrintable($0) }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || byte >= 0xAE
    }

    /// `symbols[b]` is the character that stands for byte b: printable bytes map to themselves (as Latin-1
    /// code points), the others to U+0100, U+0101, ... in byte order.
    static let symbols: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 0x100
        for byte in orderedBytes {
            if isPrintable(byte) {
                table[Int(byte)] = Unicode.Scalar(byte)
            } else {
                // 0x100 + at most 68 stays within Latin Extended-A, so the scalar always exists.
                table[Int(byte)] = Unicode.Scalar(next) ?? "\0"
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `symbols`, indexed by scalar value (all symbols are below U+0144).
    private static let bytesBySymbol: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for byte in 0..<256 { table[Int(symbols[byte].value)] = Int16(byte) }
        return table
    }()

    /// The byte a vocabulary character stands for, or nil when the character is not one of the 256 symbols.
    static func byte(for symbol: Unicode.Scalar) -> UInt8? {
        let value = Int(symbol.value)
        guard value < bytesBySymbol.count, bytesBySymbol[value] >= 0 else { return nil }
        return UInt8(bytesBySymbol[value])
    }
}
