// A fixture script's reference outputs: tensors by name and metadata (settings, and lists as JSON strings).
import AttuneTensor
import Foundation

public struct ReferenceFile {
    public let file: SafeTensorsFile

    public init(_ url: URL) {
        do { file = try SafeTensorsFile(url: url) } catch { fatalError("reference \(url.path): \(error)") }
    }

    public func tensor(_ name: String) -> Tensor {
        do { return try file.tensor(name) } catch { fatalError("reference tensor \(name): \(error)") }
    }

    public func meta(_ key: String) -> String { file.metadata[key] ?? "" }

    public func jsonStrings(_ key: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(meta(key).utf8))) ?? []
    }
}
