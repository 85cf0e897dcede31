// A progress bar on stderr with seconds per step and time left; also the cancellation point of every loop.
import ArgumentParser
import AttuneModels
import Foundation

struct ProgressBar {
    let label: String
    let width = 28
    let isTerminal = isatty(STDERR_FILENO) != 0

    init(_ label: String) { self.label = label }

    func update(_ p: StepProgress) throws {
        let done = p.step + 1
        let filled = width * done / max(p.count, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "%@ %@ %d/%d  %.2f s/step  %@ left", label, bar, done, p.count, p.secondsForStep, Self.duration(p.secondsRemaining))
        // On a terminal the bar redraws in place; in a log every step gets its own line.
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line + (done == p.count ? "\n" : "") : line + "\n").utf8))
        try Interrupt.check()
    }

    var handler: ProgressHandler { { try update($0) } }

    static func duration(_ s: Double) -> String {
        s >= 60 ? String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60) : String(format: "%.0fs", s)
    }
}

func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Fails before any work when an output's folder does not exist (rather than after a long run).
func checkOutputFolder(_ path: String?) throws {
    guard let path else { return }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ValidationError("cannot write \(path): the folder \(folder.path) does not exist")
    }
}
