// Errors raised while loading CLIP tokenizer files (bundled OpenAI merges, or a diffusers vocab.json + merges.txt).
import Foundation

public enum TokenizerError: LocalizedError, Equatable {
    /// The package's resource bundle lacks the named vocabulary file.
    case missingResource(name: String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The gzip stream is damaged or cut short; `offset` counts compressed bytes consumed before the failure.
    case corruptCompressedFile(path: String, offset: Int, reason: String)
    /// A merges list (OpenAI .txt.gz or diffusers merges.txt) has a bad line.
    case malformedMerges(path: String, line: Int, reason: String)
    /// A vocabulary (vocab.json, or the one derived from the merges) is inconsistent.
    case malformedVocabulary(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .missingResource(name):
            "the CLIP vocabulary resource \(name) is missing from the AttuneModels resource bundle"
        case let .unreadableFile(path, reason):
            "cannot read CLIP tokenizer file \(path): \(reason)"
        case let .corruptCompressedFile(path, offset, reason):
            "CLIP vocabulary \(path) is not a valid gzip file (after \(offset) compressed bytes): \(reason)"
        case let .malformedMerges(path, line, reason):
            "CLIP merges file \(path), line \(line): \(reason)"
        case let .malformedVocabulary(path, reason):
            "CLIP vocabulary \(path): \(reason)"
        }
    }
}
