// Conversions between images and tensors in Stable Diffusion's conventions (diffusers VaeImageProcessor):
// RGB images are [1, 3, H, W] in [-1, 1]; masks are [H, W] in [0, 1].
import AttuneTensor

extension Image {
    /// This RGB image as the VAE's input: [1, 3, H, W], sample * 2 - 1.
    public func modelTensor() -> Tensor {
        precondition(channels == 3, "Image.modelTensor: expected an RGB image, got \(channels) channel(s)")
        return Tensor(pixels.map { $0 * 2 - 1 }, shape: [1, 3, height, width])
    }

    /// An RGB image from the VAE's output [1, 3, H, W] in [-1, 1]: (x + 1) / 2, clamped to [0, 1] as diffusers does.
    public init(modelTensor tensor: Tensor) {
        precondition(tensor.rank == 4 && tensor.shape[0] == 1 && tensor.shape[1] == 3,
                     "Image(modelTensor:): expected [1, 3, H, W], got \(tensor.shape)")
        let pixels = tensor.withFloat32 { values in
            UnsafeBufferPointer(start: values, count: tensor.count).map { Image.clamped($0 * 0.5 + 0.5) }
        }
        self.init(width: tensor.shape[3], height: tensor.shape[2], channels: 3, pixels: pixels)
    }

    /// This gray image as a mask tensor [H, W] in [0, 1].
    public func maskTensor() -> Tensor {
        precondition(channels == 1, "Image.maskTensor: expected a gray image, got \(channels) channels (use grayscale())")
        return Tensor(pixels, shape: [height, width])
    }

    /// A gray image from a mask tensor [H, W], clamped to [0, 1].
    public init(maskTensor tensor: Tensor) {
        precondition(tensor.rank == 2, "Image(maskTensor:): expected [H, W], got \(tensor.shape)")
        let pixels = tensor.withFloat32 { UnsafeBufferPointer(start: $0, count: tensor.count).map(Image.clamped) }
        self.init(width: tensor.shape[1], height: tensor.shape[0], channels: 1, pixels: pixels)
    }

    /// x limited to [0, 1]; NaN becomes 0.
    static func clamped(_ x: Float) -> Float {
        x >= 1 ? 1 : (x > 0 ? x : 0)
    }
}
