// TAESD's decoder (madebyollin/taesd; diffusers AutoencoderTiny's DecoderTiny), the cheap picture of a latent
// for live previews: tanh(x/3)·3, a 3x3 conv and ReLU, then per level residual blocks (conv-ReLU-conv-ReLU-conv
// plus the input, then ReLU), nearest 2x upsampling and a bias-free conv between levels, and a final conv to RGB
// in [0, 1]. It takes UNet-space latents as they are. Mirrors taesd.py (Decoder, Block) and diffusers
// models/autoencoders/vae.py (DecoderTiny). Layers are found from the weights, so any width or depth loads.
import AttuneTensor
import Foundation

public final class TinyAutoencoderDecoder {
    enum Layer {
        case conv(Conv2d)
        case relu
        case upsample
        case block(Conv2d, Conv2d, Conv2d)
    }

    let layers: [Layer]

    /// `w` holds `layers.{k}.*` (diffusers' decoder numbering).
    init(_ w: WeightStore, shapes: [String: [Int]]) throws {
        let indices = Set(shapes.keys.compactMap { Int($0.split(separator: ".").dropFirst().first ?? "") })
        guard let last = indices.max(), indices.contains(0) else {
            throw CheckpointError.unrecognizedFormat(path: w.origin, reason: "no TAESD decoder layers (layers.0.weight ...)")
        }
        func conv(_ key: String) -> Conv2d {
            let s = shapes["\(key).weight"] ?? [0, 0, 3, 3]
            return Conv2d(w, key, in: s[1], out: s[0], kernel: s[2], padding: s[2] / 2, bias: shapes["\(key).bias"] != nil)
        }
        var built: [Layer] = []
        for k in 0...last {
            let p = "layers.\(k)"
            if shapes["\(p).conv.0.weight"] != nil {
                built.append(.block(conv("\(p).conv.0"), conv("\(p).conv.2"), conv("\(p).conv.4")))
            } else if shapes["\(p).weight"] != nil {
                built.append(.conv(conv(p)))
            } else {
                // Parameter-free layers: the ReLU after the first conv, else an upsampler before a conv.
                built.append(k == 1 ? .relu : .upsample)
            }
        }
        layers = built
    }

    /// Scaled latent [B, 4, h, w] -> RGB [B, 3, 8h, 8w] in about [0, 1] (not clamped).
    public func callAsFunction(_ latent: Tensor) -> Tensor {
        var x = map(latent) { 3 * (1 - 2 / (VectorMath.exp($0 * (2 / 3)) + 1)) }  // 3 tanh(x / 3)
        for layer in layers {
            switch layer {
            case .conv(let c): x = c(x)
            case .relu: x = activation(x, .relu)
            case .upsample: x = upsampleNearest2x(x)
            case .block(let a, let b, let c):
                var h = c(activation(b(activation(a(x), .relu)), .relu))
                addInPlace(&h, x)
                x = activation(h, .relu)
            }
        }
        return x
    }

    /// Loads taesd_decoder.safetensors (original keys `1.weight`, `3.conv.0.weight`, ...), a diffusers
    /// AutoencoderTiny file or folder (`decoder.layers.*`; the encoder is ignored), or bare `layers.*`.
    public static func load(_ url: URL) throws -> TinyAutoencoderDecoder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw CheckpointError.notFound(url.path) }
        let file = isDirectory.boolValue ? url.appendingPathComponent("diffusion_pytorch_model.safetensors") : url
        try CheckpointLoader.refusePickle(file)
        let st = try SafeTensorsFile(url: file)
        var tensors: [String: Tensor] = [:]
        for name in st.names {
            var key = name
            if key.hasPrefix("encoder.") { continue }
            if key.hasPrefix("decoder.") { key.removeFirst("decoder.".count) }
            if let first = key.split(separator: ".").first, let index = Int(first) {
                // The original Sequential starts with a parameter-free Clamp at index 0.
                key = "layers.\(index - 1)" + key.dropFirst(first.count)
            }
            tensors[key] = try st.tensor(name)
        }
        let store = WeightStore(tensors, origin: file.path)
        let decoder = try TinyAutoencoderDecoder(store, shapes: tensors.mapValues(\.shape))
        try store.verify(model: "TAESD decoder")
        return decoder
    }
}
