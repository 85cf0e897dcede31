// The diffusion run as the UI tracks it: status, progress and timing, and the pictures it produced.

public struct JobState: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case idle
        /// Enqueued (waiting out the debounce, or loading); "busy" starts here.
        case scheduled
        case running
        case finished
        case failed(String)
        case cancelled
    }

    public var status: Status = .idle
    /// Identifies the run whose events are current; events of older runs are dropped.
    public var runID = 0
    public var step = 0
    public var total = 0
    public var secondsPerStep: Double?
    public var stage: String?
    /// The engine's line about the finished run (cache reuse, timing).
    public var summary: String?
    public var latent: Picture?
    /// Bumped with each latent preview, so the preview picture is redrawn only when it changed.
    public var latentRevision = 0
    public var result: Picture?
    /// A run was started this session, so parameter changes re-run it (when live).
    public var hasRun = false

    public var isBusy: Bool { status == .scheduled || status == .running }

    /// Seconds left at the current pace.
    public var secondsLeft: Double? { secondsPerStep.map { Double(max(0, total - step)) * $0 } }
}
