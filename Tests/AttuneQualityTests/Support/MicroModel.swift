// The embedded micro model (Samples/attune-micro-sd.safetensors), loaded once per test process, and plain
// generation with it: the baseline every edit's figures are printed beside.
import AttuneImage
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation

enum MicroModel {
    /// Scene fixtures written by Tools/microsd/make_quality_fixtures.py.
    static let scenes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenes")

    /// The size the model was trained at, and the sampling every quality test uses.
    static let size = 128
    static let steps = 20
    static let guidance = 7.5

    static var sd: StableDiffusion { EmbeddedModelFixture.sd }

    /// x_T of `seed` (torch.randn-compatible, as the editing sessions draw it).
    static func noise(seed: UInt64) -> Tensor {
        var generator = TorchGenerator(seed: seed)
        return generator.randn([1, 4, size / sd.latentScale, size / sd.latentScale])
    }

    /// Plain DDIM with guidance of each (prompt, seed) pair, no attention control, in one batch.
    static func generate(_ pairs: [(prompt: String, seed: UInt64)]) throws -> [Image] {
        let (embeddings, _) = sd.encodePrompts([""] + pairs.map(\.prompt))
        let rows = split(embeddings, count: pairs.count + 1, axis: 0)
        let conditioning = Conditioning(unconditional: concat(Array(repeating: rows[0], count: pairs.count), axis: 0),
                                        conditional: concat(Array(rows.dropFirst()), axis: 0))
        let start = concat(pairs.map { noise(seed: $0.seed) }, axis: 0)
        let latent = try sd.generate(from: start, conditioning: conditioning, steps: steps, guidance: Float(guidance)).latent
        return (0..<pairs.count).map { Image(modelTensor: sd.decode(latent: slice(latent, axis: 0, start: $0, length: 1))) }
    }
}
