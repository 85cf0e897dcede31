// ResnetBlock2D, shared by the UNet (with a time embedding) and the VAE (without).
// Mirrors diffusers models/resnet.py: GN -> SiLU -> conv -> (+ temb) -> GN -> SiLU -> conv, plus shortcut.
import AttuneTensor

struct ResnetBlock2D {
    let norm1, norm2: GroupNorm
    let conv1, conv2: Conv2d
    let timeEmbProj: Linear?
    let shortcut: Conv2d?

    init(_ w: WeightStore, _ p: String, in cin: Int, out cout: Int, timeEmbedding: Int?, groups: Int, eps: Float) {
        norm1 = GroupNorm(w, "\(p).norm1", groups: groups, channels: cin, eps: eps)
        conv1 = Conv2d(w, "\(p).conv1", in: cin, out: cout, kernel: 3, padding: 1)
        timeEmbProj = timeEmbedding.map { Linear(w, "\(p).time_emb_proj", in: $0, out: cout) }
        norm2 = GroupNorm(w, "\(p).norm2", groups: groups, channels: cout, eps: eps)
        conv2 = Conv2d(w, "\(p).conv2", in: cout, out: cout, kernel: 3, padding: 1)
        shortcut = cin == cout ? nil : Conv2d(w, "\(p).conv_shortcut", in: cin, out: cout, kernel: 1)
    }

    /// `temb` is the SiLU of the time embedding, [1, T], shared by the batch (the UNet applies SiLU once for all
    /// blocks). Its projection is a per-channel constant, so it joins conv1's bias instead of another pass.
    func callAsFunction(_ x: Tensor, siluTimeEmbedding temb: Tensor? = nil) -> Tensor {
        let n = norm1(x, activation: .silu)
        var h: Tensor
        if let proj = timeEmbProj, let temb {
            precondition(temb.dim(0) == 1, "ResnetBlock2D: one time embedding for the whole batch")
            let t = proj(temb).reshaped([conv1.weight.dim(0)])
            h = conv2d(n, weight: conv1.weight, bias: conv1.bias.map { $0 + t } ?? t, stride: conv1.stride, padding: conv1.padding)
        } else {
            h = conv1(n)
        }
        h = conv2(norm2(h, activation: .silu))
        var out = shortcut.map { $0(x) } ?? x
        addInPlace(&out, h)
        return out
    }
}

/// Stride-2 3x3 convolution (UNet: symmetric padding 1; VAE encoder: asymmetric (0, 1, 0, 1)).
struct Downsample2D {
    let conv: Conv2d
    let padding: Padding2D

    init(_ w: WeightStore, _ p: String, channels: Int, asymmetricPadding: Bool) {
        conv = Conv2d(w, "\(p).conv", in: channels, out: channels, kernel: 3, stride: 2)
        padding = asymmetricPadding ? Padding2D(top: 0, bottom: 1, left: 0, right: 1) : Padding2D(1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv(x, padding: padding) }
}

/// Nearest-neighbour 2x upsampling followed by a 3x3 convolution.
struct Upsample2D {
    let conv: Conv2d

    init(_ w: WeightStore, _ p: String, channels: Int) {
        conv = Conv2d(w, "\(p).conv", in: channels, out: channels, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv(upsampleNearest2x(x)) }
}
