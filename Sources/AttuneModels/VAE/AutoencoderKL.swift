// AutoencoderKL of Stable Diffusion 1.x: image <-> latent. GroupNorm eps 1e-6 throughout, a single-head
// attention in each mid block, asymmetric padding before the encoder's stride-2 convs.
// Mirrors diffusers models/autoencoders/vae.py (Encoder, Decoder) and autoencoder_kl.py.
import AttuneTensor

public final class AutoencoderKL {
    public let configuration: AutoencoderConfiguration
    let encoder: VAEEncoder
    let decoder: VAEDecoder
    let quantConv, postQuantConv: Conv2d

    public init(_ w: WeightStore, configuration c: AutoencoderConfiguration) {
        configuration = c
        encoder = VAEEncoder(w, configuration: c)
        decoder = VAEDecoder(w, configuration: c)
        quantConv = Conv2d(w, "quant_conv", in: 2 * c.latentChannels, out: 2 * c.latentChannels, kernel: 1)
        postQuantConv = Conv2d(w, "post_quant_conv", in: c.latentChannels, out: c.latentChannels, kernel: 1)
    }

    /// Image [B, 3, H, W] in [-1, 1] -> scaled latent [B, 4, H/8, W/8]: the posterior mean times the scaling
    /// factor (deterministic, as the editing methods' reference code does).
    public func encode(_ image: Tensor) -> Tensor {
        let moments = quantConv(encoder(image))
        return slice(moments, axis: 1, start: 0, length: configuration.latentChannels) * configuration.scalingFactor
    }

    /// Scaled latent -> image [B, 3, H, W], roughly in [-1, 1] (not clamped).
    public func decode(_ latent: Tensor) -> Tensor {
        decoder(postQuantConv(latent * (1 / configuration.scalingFactor)))
    }
}

struct VAEEncoder {
    let convIn: Conv2d
    let down: [(resnets: [ResnetBlock2D], downsampler: Downsample2D?)]
    let mid: VAEMidBlock
    let normOut: GroupNorm
    let convOut: Conv2d

    init(_ w: WeightStore, configuration c: AutoencoderConfiguration) {
        let boc = c.blockOutChannels, g = c.normNumGroups
        convIn = Conv2d(w, "encoder.conv_in", in: c.inChannels, out: boc[0], kernel: 3, padding: 1)
        var levels: [(resnets: [ResnetBlock2D], downsampler: Downsample2D?)] = []
        var channels = boc[0]
        for (i, out) in boc.enumerated() {
            let p = "encoder.down_blocks.\(i)"
            let resnets = (0..<c.layersPerBlock).map {
                ResnetBlock2D(w, "\(p).resnets.\($0)", in: $0 == 0 ? channels : out, out: out, timeEmbedding: nil, groups: g, eps: 1e-6)
            }
            let ds = i < boc.count - 1 ? Downsample2D(w, "\(p).downsamplers.0", channels: out, asymmetricPadding: true) : nil
            levels.append((resnets, ds))
            channels = out
        }
        down = levels
        mid = VAEMidBlock(w, "encoder.mid_block", channels: channels, groups: g)
        normOut = GroupNorm(w, "encoder.conv_norm_out", groups: g, channels: channels, eps: 1e-6)
        convOut = Conv2d(w, "encoder.conv_out", in: channels, out: 2 * c.latentChannels, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = convIn(x)
        for level in down {
            for r in level.resnets { h = r(h) }
            if let d = level.downsampler { h = d(h) }
        }
        return convOut(normOut(mid(h), activation: .silu))
    }
}

struct VAEDecoder {
    let convIn: Conv2d
    let mid: VAEMidBlock
    let up: [(resnets: [ResnetBlock2D], upsampler: Upsample2D?)]
    let normOut: GroupNorm
    let convOut: Conv2d

    init(_ w: WeightStore, configuration c: AutoencoderConfiguration) {
        let rev = Array(c.blockOutChannels.reversed()), g = c.normNumGroups
        convIn = Conv2d(w, "decoder.conv_in", in: c.latentChannels, out: rev[0], kernel: 3, padding: 1)
        mid = VAEMidBlock(w, "decoder.mid_block", channels: rev[0], groups: g)
        var levels: [(resnets: [ResnetBlock2D], upsampler: Upsample2D?)] = []
        var channels = rev[0]
        for (i, out) in rev.enumerated() {
            let p = "decoder.up_blocks.\(i)"
            let resnets = (0...c.layersPerBlock).map {
                ResnetBlock2D(w, "\(p).resnets.\($0)", in: $0 == 0 ? channels : out, out: out, timeEmbedding: nil, groups: g, eps: 1e-6)
            }
            levels.append((resnets, i < rev.count - 1 ? Upsample2D(w, "\(p).upsamplers.0", channels: out) : nil))
            channels = out
        }
        up = levels
        normOut = GroupNorm(w, "decoder.conv_norm_out", groups: g, channels: channels, eps: 1e-6)
        convOut = Conv2d(w, "decoder.conv_out", in: channels, out: c.outChannels, kernel: 3, padding: 1)
    }

    func callAsFunction(_ z: Tensor) -> Tensor {
        var h = mid(convIn(z))
        for level in up {
            for r in level.resnets { h = r(h) }
            if let u = level.upsampler { h = u(h) }
        }
        return convOut(normOut(h, activation: .silu))
    }
}

/// ResNet -> single-head self-attention over all pixels (with GroupNorm and a residual) -> ResNet.
struct VAEMidBlock {
    let resnet1, resnet2: ResnetBlock2D
    let norm: GroupNorm
    let toQ, toK, toV, toOut: Linear

    init(_ w: WeightStore, _ p: String, channels c: Int, groups: Int) {
        resnet1 = ResnetBlock2D(w, "\(p).resnets.0", in: c, out: c, timeEmbedding: nil, groups: groups, eps: 1e-6)
        resnet2 = ResnetBlock2D(w, "\(p).resnets.1", in: c, out: c, timeEmbedding: nil, groups: groups, eps: 1e-6)
        let a = "\(p).attentions.0"
        norm = GroupNorm(w, "\(a).group_norm", groups: groups, channels: c, eps: 1e-6)
        toQ = Linear(w, "\(a).to_q", in: c, out: c)
        toK = Linear(w, "\(a).to_k", in: c, out: c)
        toV = Linear(w, "\(a).to_v", in: c, out: c)
        toOut = Linear(w, "\(a).to_out.0", in: c, out: c)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = resnet1(x)
        let (height, width, c) = (h.dim(2), h.dim(3), h.dim(1))
        let t = tokensFromImage(norm(h))
        let a = scaledDotProductAttention(q: toQ(t), k: toK(t), v: toV(t), heads: 1, scale: 1 / Float(c).squareRoot())
        addInPlace(&h, imageFromTokens(toOut(a), height: height, width: width))
        return resnet2(h)
    }
}
