// Integer settings read from the environment (ATTUNE_THREADS, ATTUNE_WINOGRAD_CACHE_MB): a value that is set but
// not a whole number in range is reported on standard error and ignored, never silently taken for the default.
import Foundation

/// The value of `name` in `environment` when it is an integer >= `minimum`; nil when unset or invalid (then a
/// line on standard error says so).
public func environmentInteger(
    _ name: String, minimum: Int, environment: [String: String] = ProcessInfo.processInfo.environment
) -> Int? {
    guard let text = environment[name] else { return nil }
    if let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= minimum { return value }
    FileHandle.standardError.write(Data("attune: ignoring \(name)=\(text): expected a whole number >= \(minimum)\n".utf8))
    return nil
}
