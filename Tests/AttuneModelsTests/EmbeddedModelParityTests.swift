// The embedded model as shipped (fp16 single file with Attune's shape hints in its metadata) against diffusers
// on the same weights (Tools/microsd/make_parity_fixture.py): it loads through the same path users' checkpoints
// take, with its own configuration (norm groups, head counts, 128x128), and computes what diffusers computes.
// Tolerances as for the tiny model: 1e-4 of scale per component, 1e-3 end to end.
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EmbeddedModelParityTests {
    let sd = EmbeddedModelFixture.sd
    let reference = EmbeddedModelFixture.reference

    @Test func loadsAtItsOwnSizeWithItsOwnPreviewColours() {
        #expect(sd.imageSize == 128)
        #expect(sd.latentScale == 8)
        #expect(sd.preview != .sd15, "the file's latent_rgb_factors are used")
    }

    @Test func textEncoderMatches() {
        let prompts = reference.jsonStrings("prompts")
        #expect(prompts.count == 2)
        let (embeddings, _) = sd.encodePrompts(prompts)
        expectClose(embeddings, reference.tensor("embeddings"), 1e-4, "embedded model text embeddings")
    }

    @Test func guidedGenerationAndDecodeMatch() throws {
        let (embeddings, _) = sd.encodePrompts(reference.jsonStrings("prompts"))
        let rows = split(embeddings, count: 2, axis: 0)
        let xT = reference.tensor("x_t")
        var generator = TorchGenerator(seed: UInt64(reference.meta("seed")) ?? 0)
        expectClose(generator.randn(xT.shape), xT, 1e-6, "embedded model x_T drawn as torch.randn")
        let (final, _) = try sd.generate(from: xT, conditioning: Conditioning(unconditional: rows[0], conditional: rows[1]),
                                         steps: Int(reference.meta("steps")) ?? 0, guidance: Float(reference.meta("guidance")) ?? 0)
        expectClose(final, reference.tensor("latents"), 1e-3, "embedded model 5-step guided DDIM latent")
        expectClose(sd.decode(latent: final), reference.tensor("image"), 1e-3, "embedded model decoded picture")
    }
}
