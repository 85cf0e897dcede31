// UNet2DConditionModel of Stable Diffusion 1.x: sinusoidal time embedding, down blocks (ResNets with
// spatial transformers, stride-2 downsamplers), a mid block, and up blocks that concatenate skip
// connections. Mirrors diffusers models/unets/unet_2d_condition.py and unet_2d_blocks.py
// (CrossAttnDownBlock2D, DownBlock2D, UNetMidBlock2DCrossAttn, UpBlock2D, CrossAttnUpBlock2D).
import AttuneTensor
import Foundation

public final class UNet {
    public let configuration: UNetConfiguration
    /// Every attention module in execution order (self, cross per transformer block).
    public private(set) var attentionSites: [AttentionSite] = []

    let timeLinear1, timeLinear2: Linear
    let convIn: Conv2d
    let down: [DownLevel]
    let midResnet1, midResnet2: ResnetBlock2D
    let midAttention: Transformer2D
    let up: [UpLevel]
    let normOut: GroupNorm
    let convOut: Conv2d

    struct DownLevel {
        let resnets: [ResnetBlock2D]
        let attentions: [Transformer2D]
        let downsampler: Downsample2D?
    }

    struct UpLevel {
        let resnets: [ResnetBlock2D]
        let attentions: [Transformer2D]
        let upsampler: Upsample2D?
    }

    public init(_ w: WeightStore, configuration c: UNetConfiguration) {
        configuration = c
        let boc = c.blockOutChannels, levels = c.levels
        let tembDim = boc[0] * 4
        timeLinear1 = Linear(w, "time_embedding.linear_1", in: boc[0], out: tembDim)
        timeLinear2 = Linear(w, "time_embedding.linear_2", in: tembDim, out: tembDim)
        convIn = Conv2d(w, "conv_in", in: c.inChannels, out: boc[0], kernel: 3, padding: 1)

        var sites: [AttentionSite] = []
        // Transformer blocks are numbered in execution order: down, mid, up.
        func transformer(_ p: String, channels: Int, heads: Int, level: Int, place: UNetPlace) -> Transformer2D {
            Transformer2D(w, p, channels: channels, heads: heads, crossAttentionDim: c.crossAttentionDim, groups: c.normNumGroups,
                          linearProjection: c.useLinearProjection, depth: c.transformerLayersPerBlock) { i in
                let block = sites.count / 2
                let path = "\(p).transformer_blocks.\(i)"
                let pair = (AttentionSite(block: block, place: place, kind: .selfAttention, level: level, heads: heads, path: "\(path).attn1"),
                            AttentionSite(block: block, place: place, kind: .crossAttention, level: level, heads: heads, path: "\(path).attn2"))
                sites += [pair.0, pair.1]
                return pair
            }
        }
        func resnet(_ p: String, _ cin: Int, _ cout: Int) -> ResnetBlock2D {
            ResnetBlock2D(w, p, in: cin, out: cout, timeEmbedding: tembDim, groups: c.normNumGroups, eps: c.normEps)
        }

        var downLevels: [DownLevel] = []
        var channels = boc[0]
        for i in 0..<levels {
            let out = boc[i], p = "down_blocks.\(i)"
            let hasAttention = c.downBlockTypes[i].hasPrefix("CrossAttn")
            var resnets: [ResnetBlock2D] = [], attentions: [Transformer2D] = []
            for j in 0..<c.layersPerBlock {
                resnets.append(resnet("\(p).resnets.\(j)", j == 0 ? channels : out, out))
                if hasAttention {
                    attentions.append(transformer("\(p).attentions.\(j)", channels: out, heads: c.attentionHeads[i], level: i, place: .down))
                }
            }
            let downsampler = i < levels - 1 ? Downsample2D(w, "\(p).downsamplers.0", channels: out, asymmetricPadding: false) : nil
            downLevels.append(DownLevel(resnets: resnets, attentions: attentions, downsampler: downsampler))
            channels = out
        }
        down = downLevels

        let mid = boc[levels - 1]
        midResnet1 = resnet("mid_block.resnets.0", mid, mid)
        midAttention = transformer("mid_block.attentions.0", channels: mid, heads: c.attentionHeads[levels - 1], level: levels - 1, place: .mid)
        midResnet2 = resnet("mid_block.resnets.1", mid, mid)

        let rev = Array(boc.reversed()), revHeads = Array(c.attentionHeads.reversed())
        var upLevels: [UpLevel] = []
        var previous = rev[0]
        for i in 0..<levels {
            let out = rev[i], skipIn = rev[min(i + 1, levels - 1)], p = "up_blocks.\(i)"
            let hasAttention = c.upBlockTypes[i].hasPrefix("CrossAttn")
            var resnets: [ResnetBlock2D] = [], attentions: [Transformer2D] = []
            for j in 0...c.layersPerBlock {
                let skip = j == c.layersPerBlock ? skipIn : out
                resnets.append(resnet("\(p).resnets.\(j)", (j == 0 ? previous : out) + skip, out))
                if hasAttention {
                    attentions.append(transformer("\(p).attentions.\(j)", channels: out, heads: revHeads[i], level: levels - 1 - i, place: .up))
                }
            }
            let upsampler = i < levels - 1 ? Upsample2D(w, "\(p).upsamplers.0", channels: out) : nil
            upLevels.append(UpLevel(resnets: resnets, attentions: attentions, upsampler: upsampler))
            previous = out
        }
        up = upLevels
        normOut = GroupNorm(w, "conv_norm_out", groups: c.normNumGroups, channels: boc[0], eps: c.normEps)
        convOut = Conv2d(w, "conv_out", in: boc[0], out: c.outChannels, kernel: 3, padding: 1)
        attentionSites = sites
    }

    /// Number of transformer blocks (16 in SD 1.x).
    public var transformerBlockCount: Int { attentionSites.count / 2 }

    /// The sinusoidal embedding of a timestep: [cos, sin] halves when flip_sin_to_cos (SD), else [sin, cos].
    public func timestepEmbedding(_ t: Float, batch: Int) -> Tensor {
        let dim = configuration.blockOutChannels[0], half = dim / 2
        var e = Tensor(uninitialized: [batch, dim])
        let p = e.mutableFloats
        for i in 0..<half {
            // diffusers computes exponent and product in float32.
            let exponent = -Float(Foundation.log(10000.0)) * Float(i) / Float(half - configuration.freqShift)
            let arg = t * Foundation.exp(exponent)
            let (first, second) = configuration.flipSinToCos ? (Foundation.cos(arg), Foundation.sin(arg)) : (Foundation.sin(arg), Foundation.cos(arg))
            for b in 0..<batch {
                p[b * dim + i] = first
                p[b * dim + half + i] = second
            }
        }
        return e
    }

    /// Noise prediction: sample [B, 4, h, w], one timestep for the whole batch, context [B, 77, D].
    /// `adapterFeatures` (T2I-Adapter, one per level) are added to the last output of each down level.
    public func callAsFunction(
        _ sample: Tensor, timestep: Float, context: Tensor, control: AttentionControl? = nil, adapterFeatures: [Tensor]? = nil
    ) -> Tensor {
        let batch = sample.dim(0)
        precondition(sample.rank == 4 && sample.dim(1) == configuration.inChannels,
                     "UNet: sample must be [B, \(configuration.inChannels), h, w], got \(sample.shape)")
        precondition(context.rank == 3 && context.dim(0) == batch && context.dim(2) == configuration.crossAttentionDim,
                     "UNet: context must be [\(batch), tokens, \(configuration.crossAttentionDim)], got \(context.shape)")
        let factor = 1 << (configuration.levels - 1)
        precondition(sample.dim(2) % factor == 0 && sample.dim(3) % factor == 0,
                     "UNet: latent size \(sample.dim(2))x\(sample.dim(3)) must be a multiple of \(factor)")
        if let adapterFeatures { precondition(adapterFeatures.count == configuration.levels, "UNet: one adapter feature per level") }

        // One timestep for the whole batch: the embedding is computed once and broadcast by the ResNets.
        let temb = silu(timeLinear2(silu(timeLinear1(timestepEmbedding(timestep, batch: 1)))))
        var h = convIn(sample)
        var skips = [h]
        for (i, level) in down.enumerated() {
            for (j, resnet) in level.resnets.enumerated() {
                h = resnet(h, siluTimeEmbedding: temb)
                if !level.attentions.isEmpty { h = level.attentions[j](h, context: context, control: control) }
                if j == level.resnets.count - 1, let f = adapterFeatures?[i] { addInPlace(&h, f) }
                skips.append(h)
            }
            if let d = level.downsampler {
                h = d(h)
                skips.append(h)
            }
        }
        h = midResnet1(h, siluTimeEmbedding: temb)
        h = midAttention(h, context: context, control: control)
        h = midResnet2(h, siluTimeEmbedding: temb)
        for level in up {
            for (j, resnet) in level.resnets.enumerated() {
                h = resnet(concat([h, skips.removeLast()], axis: 1), siluTimeEmbedding: temb)
                if !level.attentions.isEmpty { h = level.attentions[j](h, context: context, control: control) }
            }
            if let u = level.upsampler { h = u(h) }
        }
        return convOut(normOut(h, activation: .silu))
    }
}
