// The two bottom rows: the progress bar (step, seconds per step, time left) and the status line (the latest
// message or error, else key hints for the focused panel, and the session name).
import Foundation

enum StatusBar {
    static func render(
        _ state: AppState, hints: [(keys: [Key], description: String)], layout: Layout, into surface: inout Surface,
        context: WorkbenchContext
    ) {
        renderProgress(state, row: layout.progressRow, width: layout.width, &surface, context)
        renderStatus(state, hints: hints, row: layout.statusRow, width: layout.width, &surface, context)
    }

    private static func renderProgress(_ state: AppState, row: Int, width: Int, _ surface: inout Surface, _ context: WorkbenchContext) {
        let job = state.job
        surface.fill(Rect(x: 0, y: row, width: width, height: 1), style: context.style(.text))
        let label: String
        switch job.status {
        case .idle: label = "idle · C-r runs the edit"
        case .scheduled: label = "starting…"
        case .running: label = job.stage ?? "running"
        case .finished: label = "done" + (job.summary.map { " · \($0)" } ?? "")
        case .failed(let message): label = "failed: \(message)"
        case .cancelled: label = "cancelled"
        }
        let timing = job.secondsPerStep.map { String(format: " %.2f s/step", $0) } ?? ""
        let left = job.secondsLeft.map { job.isBusy ? " · \(formatDuration($0)) left" : "" } ?? ""
        let text = " \(job.step)/\(max(job.total, state.settings.steps))\(timing)\(left) · \(label)"
        let barWidth = min(max(10, width / 3), 40)
        let total = max(job.total, 1)
        let filled = job.status == .idle ? 0 : min(barWidth, barWidth * job.step / total)
        surface.put(String(repeating: "█", count: filled), x: 0, y: row, style: context.style(.progressFill))
        surface.put(String(repeating: "░", count: barWidth - filled), x: filled, y: row, style: context.style(.progressEmpty))
        let style = context.style(job.status.isFailure ? .textError : .text)
        surface.put(text, x: barWidth, y: row, style: style, limit: width - barWidth)
    }

    private static func renderStatus(
        _ state: AppState, hints: [(keys: [Key], description: String)], row: Int, width: Int, _ surface: inout Surface,
        _ context: WorkbenchContext
    ) {
        let base = context.style(.statusline)
        surface.fill(Rect(x: 0, y: row, width: width, height: 1), style: base)
        let session = (state.session.path?.lastPathComponent ?? "unsaved session") + (state.session.dirty ? " *" : "")
        let right = " \(state.live ? "live" : "manual") · \(session) "
        let rightWidth = Surface.displayWidth(right)
        let room = max(0, width - rightWidth)
        if let status = state.status {
            let style = status.isError ? base.patched(with: context.style(.statuslineError)) : base
            surface.put(" " + status.text, x: 0, y: row, style: style, limit: room)
        } else {
            var x = 1
            for hint in hints {
                let keyText = hint.keys.prefix(2).map(\.label).joined(separator: "/")
                let width = Surface.displayWidth(keyText) + 1 + Surface.displayWidth(hint.description) + 2
                guard x + width <= room else { break }
                x += surface.put(keyText, x: x, y: row, style: base.patched(with: context.style(.hintKey)))
                x += surface.put(" " + hint.description + "  ", x: x, y: row, style: base.patched(with: context.style(.hintText)))
            }
        }
        surface.put(right, x: room, y: row, style: base, limit: rightWidth)
    }

    static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

extension JobState.Status {
    var isFailure: Bool { if case .failed = self { true } else { false } }
}
