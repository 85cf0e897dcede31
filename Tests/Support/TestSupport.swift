// Shared by the test targets: where fixtures live, and closeness checks that report the worst element.
import AttuneTensor
import Foundation

public enum Fixtures {
    /// The repository's Tests/Fixtures directory (found from this file's path, so no resource copying).
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func url(_ relativePath: String) -> URL { directory.appendingPathComponent(relativePath) }

    /// A scratch directory, removed by the caller (or left in /tmp).
    public static func temporaryDirectory(_ name: String = "attune-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public struct Closeness: CustomStringConvertible, Sendable {
    public let maxAbs: Float
    public let maxRel: Float
    public let worstIndex: Int
    /// max|a - b| / max|b|: error relative to the reference's scale.
    public let relativeToScale: Float
    public var description: String {
        String(format: "max|Δ|=%.3g (at %d), max|Δ|/max|ref|=%.3g", maxAbs, worstIndex, relativeToScale)
    }
}

/// Compares `actual` with `expected`; shapes must agree (checked by the caller).
public func closeness(_ actual: Tensor, _ expected: Tensor) -> Closeness {
    let a = actual.scalars, b = expected.scalars
    precondition(a.count == b.count, "closeness: \(actual.shape) vs \(expected.shape)")
    var maxAbs: Float = 0, maxRel: Float = 0, worst = 0, scale: Float = 0
    for i in 0..<a.count {
        let d = abs(a[i] - b[i])
        if d > maxAbs || d.isNaN { maxAbs = d; worst = i }
        maxRel = max(maxRel, d / max(abs(b[i]), 1e-6))
        scale = max(scale, abs(b[i]))
    }
    return Closeness(maxAbs: maxAbs, maxRel: maxRel, worstIndex: worst, relativeToScale: maxAbs / max(scale, 1e-12))
}

/// Runs the built `attune` executable (it sits next to the test bundle in the build folder).
public enum AttuneProcess {
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("attune")
    }

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `attune` with `arguments`; `interruptAfter` sends SIGINT once that many seconds have passed.
    public static func run(_ arguments: [String], interruptAfter: Double? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let interruptAfter {
            Thread.sleep(forTimeInterval: interruptAfter)
            process.interrupt()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
