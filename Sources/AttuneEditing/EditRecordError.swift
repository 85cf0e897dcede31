// What can be wrong with an edit record, each message naming the key and what is allowed.
import AttuneTOML
import Foundation

public enum EditRecordError: Error, LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case syntax(TOMLError)
    case unknownKey(String, known: [String])
    case wrongType(key: String, expected: String, found: String)
    case unknownMethod(String)
    case unknownP2PMode(String)
    case invalidSeed(String)
    case missing(key: String, reason: String)
    case outOfRange(key: String, value: String, allowed: String)
    /// Any of the above, found in a file.
    indirect case inFile(String, EditRecordError)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason): "cannot read edit record \(path): \(reason)"
        case .syntax(let error): "edit record is not valid TOML: \(error.localizedDescription)"
        case .unknownKey(let key, let known): "unknown key \(key) (known here: \(known.joined(separator: ", ")))"
        case .wrongType(let key, let expected, let found): "\(key): expected \(expected), found \(found)"
        case .unknownMethod(let name):
            "unknown method '\(name)' in [method] name (allowed: \(EditMethod.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownP2PMode(let name):
            "unknown Prompt-to-Prompt mode '\(name)' in [method] p2p_mode (allowed: \(P2PMode.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidSeed(let text): "[source] seed: '\(text)' is not a whole number in 0...\(UInt64.max)"
        case .missing(let key, let reason): "missing \(key): \(reason)"
        case .outOfRange(let key, let value, let allowed): "\(key) = \(value) is out of range (allowed: \(allowed))"
        case .inFile(let path, let error): "\(path): \(error.localizedDescription)"
        }
    }
}
