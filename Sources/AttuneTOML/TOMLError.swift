// A TOML syntax or structure error, located by line and column (both 1-based, columns in characters).
import Foundation

public struct TOMLError: Error, LocalizedError, Equatable, Sendable {
    /// The file the text came from, when known.
    public var file: String?
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var errorDescription: String? {
        "\(file.map { "\($0):" } ?? "")\(line):\(column): \(message)"
    }
}
