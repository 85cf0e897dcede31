// The loaded engine and its basic operations: prompts to embeddings, classifier-free-guided noise
// prediction for a batch of branches, image <-> latent. Sampling loops are written by callers
// (generation, inversion, the editing methods), as diffusers' philosophy has it.
// Mirrors diffusers pipelines/stable_diffusion/pipeline_stable_diffusion.py (encode_prompt, CFG).
import AttuneTensor
import Foundation

/// Text conditioning of each branch: unconditional (negative prompt) and conditional embeddings, [n, 77, D] each.
public struct Conditioning {
    public var unconditional: Tensor
    public var conditional: Tensor

    public init(unconditional: Tensor, conditional: Tensor) {
        precondition(unconditional.shape == conditional.shape, "Conditioning: \(unconditional.shape) vs \(conditional.shape)")
        self.unconditional = unconditional
        self.conditional = conditional
    }

    public var branches: Int { conditional.dim(0) }
}

public final class StableDiffusion {
    public let tokenizer: CLIPTokenizer
    public let textEncoder: CLIPTextModel
    public let unet: UNet
    public let vae: AutoencoderKL
    public let scheduler = DDIMScheduler()
    public let description: String
    public let preview: LatentPreview
    /// The image side the model was trained at (commands' default size).
    public let imageSize: Int

    public init(_ model: LoadedModel) {
        tokenizer = model.tokenizer
        textEncoder = model.textEncoder
        unet = model.unet
        vae = model.vae
        description = model.description
        preview = model.preview
        imageSize = model.imageSize
    }

    public static func load(_ url: URL, variant: String? = nil) throws -> StableDiffusion {
        StableDiffusion(try CheckpointLoader.load(url, variant: variant))
    }

    /// Latent side = image side / this.
    public var latentScale: Int { vae.configuration.downscale }

    /// Prompts -> text embeddings [P, 77, D] and their tokenisation (with any truncation to report).
    public func encodePrompts(_ prompts: [String]) -> (embeddings: Tensor, tokens: [TokenizedPrompt]) {
        let tokens = prompts.map { tokenizer.encode($0) }
        return (textEncoder(tokens.map(\.ids)), tokens)
    }

    /// ε for each branch's latent [n, 4, h, w] at `timestep`. With guidance > 1 the UNet runs on the batch
    /// [uncond_0..n-1, cond_0..n-1] and ε = ε_u + guidance (ε_c - ε_u); otherwise on the conditional half only.
    public func predictNoise(
        _ latents: Tensor, timestep: Int, conditioning: Conditioning, guidance: Float,
        processor: AttentionProcessor? = nil, step: DenoisingStep? = nil, adapterFeatures: [Tensor]? = nil
    ) -> Tensor {
        let n = latents.dim(0)
        precondition(conditioning.branches == n, "predictNoise: \(n) latents but \(conditioning.branches) conditionings")
        let guided = guidance > 1
        let layout = BatchLayout(branches: n, guided: guided)
        let control = processor.map {
            AttentionControl(processor: $0, step: step ?? DenoisingStep(index: 0, count: 1, timestep: timestep), layout: layout)
        }
        let features = adapterFeatures.map { f in guided ? f.map { concat([$0, $0], axis: 0) } : f }
        guard guided else {
            return unet(latents, timestep: Float(timestep), context: conditioning.conditional, control: control, adapterFeatures: features)
        }
        let eps = unet(concat([latents, latents], axis: 0), timestep: Float(timestep),
                       context: concat([conditioning.unconditional, conditioning.conditional], axis: 0),
                       control: control, adapterFeatures: features)
        let halves = split(eps, count: 2, axis: 0)
        return halves[0] + (halves[1] - halves[0]) * guidance
    }

    /// Image [B, 3, H, W] in [-1, 1] -> scaled latent.
    public func encode(image: Tensor) -> Tensor { vae.encode(image) }

    /// Scaled latent -> image [B, 3, H, W] in [-1, 1] (clamped, as the pipelines' postprocessing does).
    public func decode(latent: Tensor) -> Tensor {
        map(vae.decode(latent)) { pointwiseMin(pointwiseMax($0, Vec16(repeating: -1)), Vec16(repeating: 1)) }
    }
}
