// The parameterised building blocks shared by the text encoder, UNet and VAE, named as in torch.nn.
// Each takes its parameters from a WeightStore under diffusers-style names (prefix + ".weight").
import AttuneTensor

public struct Linear {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ w: WeightStore, _ prefix: String, in inFeatures: Int, out outFeatures: Int, bias: Bool = true) {
        weight = w.take("\(prefix).weight", [outFeatures, inFeatures])
        self.bias = bias ? w.take("\(prefix).bias", [outFeatures]) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
}

public struct Conv2d {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Padding2D

    public init(
        _ w: WeightStore, _ prefix: String, in inChannels: Int, out outChannels: Int, kernel: Int,
        stride: Int = 1, padding: Int = 0, bias: Bool = true
    ) {
        weight = w.take("\(prefix).weight", [outChannels, inChannels, kernel, kernel])
        self.bias = bias ? w.take("\(prefix).bias", [outChannels]) : nil
        self.stride = stride
        self.padding = Padding2D(padding)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    /// With explicit padding (the VAE's asymmetric (0, 1, 0, 1) before a stride-2 conv).
    public func callAsFunction(_ x: Tensor, padding: Padding2D) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

public struct GroupNorm {
    public let weight: Tensor
    public let bias: Tensor
    public let groups: Int
    public let eps: Float

    public init(_ w: WeightStore, _ prefix: String, groups: Int, channels: Int, eps: Float) {
        weight = w.take("\(prefix).weight", [channels])
        bias = w.take("\(prefix).bias", [channels])
        self.groups = groups
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor, activation: Activation? = nil) -> Tensor {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, activation: activation)
    }
}

public struct LayerNorm {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float

    public init(_ w: WeightStore, _ prefix: String, dim: Int, eps: Float = 1e-5) {
        weight = w.take("\(prefix).weight", [dim])
        bias = w.take("\(prefix).bias", [dim])
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { layerNorm(x, weight: weight, bias: bias, eps: eps) }
}
