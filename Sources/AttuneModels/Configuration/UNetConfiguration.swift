// The UNet's shape, decoded from diffusers' unet/config.json (UNet2DConditionModel), with SD 1.5's
// values as defaults. Single-file checkpoints get this struct inferred from their tensor shapes.
import Foundation

public struct UNetConfiguration: Codable, Equatable, Sendable {
    public var inChannels = 4
    public var outChannels = 4
    public var blockOutChannels = [320, 640, 1280, 1280]
    public var downBlockTypes = ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"]
    public var upBlockTypes = ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]
    public var layersPerBlock = 2
    /// Heads per level. SD 1.x configs call this `attention_head_dim` (a historical misnomer: 8 heads).
    public var attentionHeads = [8, 8, 8, 8]
    public var crossAttentionDim = 768
    public var normNumGroups = 32
    public var normEps: Float = 1e-5
    public var flipSinToCos = true
    public var freqShift = 0
    public var useLinearProjection = false
    public var transformerLayersPerBlock = 1

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", outChannels = "out_channels", blockOutChannels = "block_out_channels"
        case downBlockTypes = "down_block_types", upBlockTypes = "up_block_types", layersPerBlock = "layers_per_block"
        case attentionHeadDim = "attention_head_dim", numAttentionHeads = "num_attention_heads"
        case crossAttentionDim = "cross_attention_dim", normNumGroups = "norm_num_groups", normEps = "norm_eps"
        case flipSinToCos = "flip_sin_to_cos", freqShift = "freq_shift", useLinearProjection = "use_linear_projection"
        case transformerLayersPerBlock = "transformer_layers_per_block"
    }

    public static let sd15 = UNetConfiguration()

    public init() {}

    public var levels: Int { blockOutChannels.count }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = UNetConfiguration()
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels) ?? d.inChannels
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? d.outChannels
        blockOutChannels = try c.decode([Int].self, forKey: .blockOutChannels)
        downBlockTypes = try c.decode([String].self, forKey: .downBlockTypes)
        upBlockTypes = try c.decode([String].self, forKey: .upBlockTypes)
        layersPerBlock = try c.decodeIfPresent(Int.self, forKey: .layersPerBlock) ?? d.layersPerBlock
        crossAttentionDim = try c.decodeIfPresent(Int.self, forKey: .crossAttentionDim) ?? d.crossAttentionDim
        normNumGroups = try c.decodeIfPresent(Int.self, forKey: .normNumGroups) ?? d.normNumGroups
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? d.normEps
        flipSinToCos = try c.decodeIfPresent(Bool.self, forKey: .flipSinToCos) ?? d.flipSinToCos
        freqShift = try c.decodeIfPresent(Int.self, forKey: .freqShift) ?? d.freqShift
        useLinearProjection = try c.decodeIfPresent(Bool.self, forKey: .useLinearProjection) ?? d.useLinearProjection
        if let t = try? c.decode(Int.self, forKey: .transformerLayersPerBlock) { transformerLayersPerBlock = t }
        // num_attention_heads wins when present; otherwise attention_head_dim holds the head count (SD 1.x).
        let heads = try Self.decodeIntOrList(c, .numAttentionHeads) ?? Self.decodeIntOrList(c, .attentionHeadDim) ?? [8]
        attentionHeads = heads.count == 1 ? Array(repeating: heads[0], count: blockOutChannels.count) : heads
        guard attentionHeads.count == blockOutChannels.count, downBlockTypes.count == levels, upBlockTypes.count == levels else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "block_out_channels, down/up_block_types and attention heads must have one entry per level"))
        }
    }

    private static func decodeIntOrList(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Int]? {
        if let v = try? c.decode(Int.self, forKey: key) { return [v] }
        return try? c.decode([Int].self, forKey: key)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inChannels, forKey: .inChannels)
        try c.encode(outChannels, forKey: .outChannels)
        try c.encode(blockOutChannels, forKey: .blockOutChannels)
        try c.encode(downBlockTypes, forKey: .downBlockTypes)
        try c.encode(upBlockTypes, forKey: .upBlockTypes)
        try c.encode(layersPerBlock, forKey: .layersPerBlock)
        try c.encode(attentionHeads, forKey: .attentionHeadDim)
        try c.encode(crossAttentionDim, forKey: .crossAttentionDim)
        try c.encode(normNumGroups, forKey: .normNumGroups)
        try c.encode(normEps, forKey: .normEps)
        try c.encode(flipSinToCos, forKey: .flipSinToCos)
        try c.encode(freqShift, forKey: .freqShift)
        try c.encode(useLinearProjection, forKey: .useLinearProjection)
        try c.encode(transformerLayersPerBlock, forKey: .transformerLayersPerBlock)
    }
}
