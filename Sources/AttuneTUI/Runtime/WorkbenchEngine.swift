// The workbench's view of the diffusion engine: run one edit record and report as it goes.
// The real conformance (UNet, VAE, DDIM, attention editors) lives outside AttuneTUI; the workbench only
// needs this protocol, so it builds, runs and is tested without a model.
import AttuneEditing

public protocol WorkbenchEngine: Sendable {
    /// Runs the edit described by `record`, calling `events` from any thread as it progresses.
    /// Cancellation is Task cancellation: check `Task.isCancelled` (or `try Task.checkCancellation()`) between
    /// UNet calls. When only the target prompt or editing parameters changed since the last run, reuse the
    /// cached source branch (inversion, source latents and attention) so only the target branch re-runs.
    func run(_ record: EditRecord, events: @escaping @Sendable (EngineEvent) -> Void) async throws
}

public enum EngineEvent: Equatable, Sendable {
    /// A phase the user should know about ("loading model", "inverting source 12/50").
    case stage(String)
    /// Denoising step `step` of `total` is done; `secondsPerStep` is a running average.
    case progress(step: Int, total: Int, secondsPerStep: Double)
    /// The running step's latent as a cheap picture (latent → RGB), any size.
    case preview(Picture)
    case attentionMap(AttentionMap)
    /// One line about the run just ending (what the caches saved), shown after "done".
    case summary(String)
    case finished(Picture)
    case failed(String)
    case cancelled
}

/// Which branch of the batch an attention map was recorded in.
public enum AttentionBranch: String, CaseIterable, Sendable {
    case source, target
}

public enum AttentionKind: String, CaseIterable, Sendable {
    case cross, `self`
}

/// Attention probabilities averaged over heads (and over the transformer blocks of one resolution), as a
/// row-major [query][key] matrix: queries are the resolution×resolution latent pixels; keys are the 77 tokens
/// (cross-attention) or the same pixels again (self-attention).
public struct AttentionMap: Equatable, Sendable {
    public let kind: AttentionKind
    public let branch: AttentionBranch
    /// Denoising step index, 0-based.
    public let step: Int
    /// Side of the square query grid (8, 16, 32 or 64 for 512² images).
    public let resolution: Int
    public let keyCount: Int
    public let values: [Float]

    public init(kind: AttentionKind, branch: AttentionBranch, step: Int, resolution: Int, keyCount: Int, values: [Float]) {
        precondition(values.count == resolution * resolution * keyCount, "AttentionMap: \(resolution)² × \(keyCount) keys needs \(resolution * resolution * keyCount) values, got \(values.count)")
        self.kind = kind
        self.branch = branch
        self.step = step
        self.resolution = resolution
        self.keyCount = keyCount
        self.values = values
    }

    /// How much each pixel attends to key `key` (a token, for cross-attention): resolution² values.
    public func column(_ key: Int) -> [Float] {
        guard key >= 0, key < keyCount else { return [Float](repeating: 0, count: resolution * resolution) }
        return (0..<(resolution * resolution)).map { values[$0 * keyCount + key] }
    }

    /// Where pixel `query` looks (self-attention): keyCount values.
    public func row(_ query: Int) -> [Float] {
        guard query >= 0, query < resolution * resolution else { return [Float](repeating: 0, count: keyCount) }
        return Array(values[(query * keyCount)..<((query + 1) * keyCount)])
    }
}
