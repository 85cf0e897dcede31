// The record of every setting of one edit. Written as TOML (EditRecord+TOML.swift), it is both the workbench's
// session file and what `attune edit --from record.toml` replays.
import Foundation

public struct EditRecord: Equatable, Sendable {
    /// SD 1.x has 16 transformer blocks (down 6, mid 1, up 9); L counts from 0 through all of them.
    public static let transformerBlockCount = 16

    /// Checkpoint file or directory; nil means the default model.
    public var model: URL?
    public var method: EditMethod

    // [source]: a real image to invert, or a seed for a generated source.
    public var sourceImage: URL?
    public var seed: UInt64?

    // [prompts]
    public var sourcePrompt: String
    public var targetPrompt: String
    public var negativePrompt: String

    // [sampling]
    public var steps: Int
    public var guidance: Double
    public var width: Int
    public var height: Int
    /// Initial latents from a previous inversion, skipping it.
    public var latentsIn: URL?

    // [method]
    /// S: the first denoising step whose attention is edited.
    public var startStep: Int
    /// L: the first transformer block (0..<16) whose attention is edited.
    public var startLayer: Int
    public var endStep: Int?
    public var endLayer: Int?
    /// τ for self-attention replacement (FPE, Prompt-to-Prompt): the first τ·steps steps.
    public var selfReplaceFraction: Double
    /// Prompt-to-Prompt's cross-attention τ.
    public var crossReplaceFraction: Double
    public var p2pMode: P2PMode
    /// MCA-Ctrl intervals (steps): SAGI runs in [sagiStart, sagiEnd), SALQ in [salqStart, salqEnd).
    public var mcaSAGIStart: Int?
    public var mcaSAGIEnd: Int?
    public var mcaSALQStart: Int?
    public var mcaSALQEnd: Int?
    /// Which form of the method: MCA-Ctrl "replace", "add" or "generate"; MaSaFusion "fusion" or "embctrl".
    public var variant: String?
    /// MaSaFusion: the fusion acts on steps i < fusionSteps (all steps when nil).
    public var fusionSteps: Int?

    // [mask]
    public var mask: URL?
    /// MasaCtrl: the target's foreground when it differs from the source's (`mask`).
    public var targetMask: URL?
    /// Token index (in the target prompt's CLIP tokens) whose cross-attention gives the mask.
    public var maskToken: Int?
    public var maskThreshold: Double
    /// Keep the source branch on its inversion trajectory (MasaCtrl's `ref_intermediate_latents`).
    public var pinSource: Bool
    /// MCA-Ctrl: 3x3 dilations of the edit-region mask (the reference code uses 5).
    public var maskDilation: Int

    // [adapter]: T2I-Adapter weights and its condition picture (e.g. a sketch).
    public var adapter: URL?
    public var condition: URL?
    public var conditionStrength: Double

    // [subject]: MCA-Ctrl's subject branch.
    public var subjectImage: URL?
    public var subjectPrompt: String?
    /// The subject's mask in its picture (all of it when nil).
    public var subjectMask: URL?

    // [output]
    public var output: URL?
    /// The Attune version that wrote the record.
    public var attuneVersion: String?

    public init(
        method: EditMethod = .masactrl, sourceImage: URL? = nil, seed: UInt64? = nil, sourcePrompt: String = "",
        targetPrompt: String = ""
    ) {
        self.method = method
        self.sourceImage = sourceImage
        self.seed = seed
        self.sourcePrompt = sourcePrompt
        self.targetPrompt = targetPrompt
        negativePrompt = ""
        steps = 50
        guidance = 7.5
        width = 512
        height = 512
        startStep = 4
        startLayer = 10
        selfReplaceFraction = 0.8
        crossReplaceFraction = 0.4
        p2pMode = .replace
        maskThreshold = 0.1
        pinSource = true
        maskDilation = 5
        conditionStrength = 1.0
    }
}
