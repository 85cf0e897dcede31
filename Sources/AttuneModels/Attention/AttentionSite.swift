// Where an attention call happens and in which batch: the explicit context every attention editor
// receives, so that no editor has to count calls (the fragile trick of prompt-to-prompt's controllers).
import AttuneTensor

public enum AttentionKind: String, Sendable, Hashable {
    case selfAttention = "self"
    case crossAttention = "cross"
}

public enum UNetPlace: String, Sendable, Hashable {
    case down, mid, up
}

/// One attention module of the UNet. SD 1.x has 16 transformer blocks, each with a self- and a
/// cross-attention, numbered in execution order: down 0-5, mid 6, up 7-15 (MasaCtrl's numbering,
/// in which start layer L=10 means the last six up-block transformers).
public struct AttentionSite: Hashable, Sendable, CustomStringConvertible {
    public let block: Int
    public let place: UNetPlace
    public let kind: AttentionKind
    /// Depth in the UNet: the feature map is the latent downsampled 2^level times.
    public let level: Int
    public let heads: Int
    /// The diffusers module path, e.g. "down_blocks.0.attentions.1.transformer_blocks.0.attn1".
    public let path: String

    public init(block: Int, place: UNetPlace, kind: AttentionKind, level: Int, heads: Int, path: String) {
        self.block = block
        self.place = place
        self.kind = kind
        self.level = level
        self.heads = heads
        self.path = path
    }

    public var description: String { "block \(block) \(place.rawValue) \(kind.rawValue) (\(path))" }
}

/// How the UNet batch is made of branches (source, target, ...) and classifier-free-guidance halves.
/// With guidance the unconditional half comes first: [u_0, u_1, ..., c_0, c_1, ...] (diffusers' order).
public struct BatchLayout: Sendable, Hashable {
    public let branches: Int
    public let guided: Bool

    public init(branches: Int, guided: Bool) {
        precondition(branches >= 1, "BatchLayout: at least one branch")
        self.branches = branches
        self.guided = guided
    }

    public var batchSize: Int { guided ? 2 * branches : branches }

    public func index(branch: Int, conditional: Bool = true) -> Int {
        precondition(branch >= 0 && branch < branches, "BatchLayout: branch \(branch) of \(branches)")
        return guided && conditional ? branches + branch : branch
    }

    /// The batch indices of each half: [unconditional, conditional] with guidance, else one half.
    public var halves: [[Int]] {
        guided ? [Array(0..<branches), Array(branches..<(2 * branches))] : [Array(0..<branches)]
    }
}

/// The denoising step a UNet call belongs to.
public struct DenoisingStep: Sendable, Hashable {
    /// 0-based index in the sampling loop.
    public let index: Int
    public let count: Int
    /// The scheduler timestep (981, 961, ... for 50 steps).
    public let timestep: Int

    public init(index: Int, count: Int, timestep: Int) {
        self.index = index
        self.count = count
        self.timestep = timestep
    }
}
