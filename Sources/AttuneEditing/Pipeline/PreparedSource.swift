// What every edit of one source shares, computed once: the starting noise and, for a real picture, its
// DDIM inversion trajectory. Keyed by everything it depends on, so a changed target prompt, S, L, mask or
// method reuses it (the first part of the live-tuning cache).
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

public struct SourceKey: Hashable, Sendable {
    public let image: String?
    /// The picture file's modification time, so an edited file is inverted again.
    public let imageDate: Date?
    public let seed: UInt64?
    public let prompt: String
    public let negativePrompt: String
    public let steps: Int
    public let guidance: Double
    public let width: Int
    public let height: Int
    public let latentsIn: String?
}

public struct PreparedSource {
    public let key: SourceKey
    /// x_T [1, 4, h, w].
    public let start: Tensor
    /// [x_0, ..., x_T] for a real picture.
    public let trajectory: [Tensor]?
    /// The picture as the model sees it (fitted to width x height), and its size before fitting.
    public let picture: Image?
    public let originalSize: (width: Int, height: Int)?
    /// Seconds the preparation took (inversion dominates).
    public let seconds: Double

    public init(key: SourceKey, start: Tensor, trajectory: [Tensor]?, picture: Image? = nil,
                originalSize: (width: Int, height: Int)? = nil, seconds: Double = 0) {
        self.key = key
        self.start = start
        self.trajectory = trajectory
        self.picture = picture
        self.originalSize = originalSize
        self.seconds = seconds
    }
}

extension EditRecord {
    /// Everything the source's preparation depends on.
    public var sourceKey: SourceKey {
        let date = sourceImage.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }
        return SourceKey(image: sourceImage?.standardizedFileURL.path, imageDate: date, seed: sourceImage == nil ? seed : nil,
                         prompt: sourcePrompt, negativePrompt: negativePrompt, steps: steps, guidance: guidance,
                         width: width, height: height, latentsIn: latentsIn?.path)
    }
}

enum SourcePreparation {
    /// Inverts the source picture with the source prompt (or draws the seed's noise).
    static func prepare(_ record: EditRecord, model: StableDiffusion, progress: ProgressHandler?) throws -> PreparedSource {
        let clock = Date()
        let key = record.sourceKey
        let shape = [1, 4, record.height / model.latentScale, record.width / model.latentScale]
        guard let url = record.sourceImage else {
            var generator = TorchGenerator(seed: record.seed ?? 0)
            let start = try record.latentsIn.map { try readLatents($0, shape: shape) } ?? generator.randn(shape)
            return PreparedSource(key: key, start: start, trajectory: nil, picture: nil, originalSize: nil, seconds: Date().timeIntervalSince(clock))
        }
        let loaded = try PNGFile.read(url).image
        let (picture, _) = try prepareForStableDiffusion(loaded, width: record.width, height: record.height)
        let x0 = model.encode(image: picture.modelTensor())
        let (embeddings, _) = model.encodePrompts([record.negativePrompt, record.sourcePrompt])
        let halves = split(embeddings, count: 2, axis: 0)
        let trajectory = try model.invert(x0, conditioning: Conditioning(unconditional: halves[0], conditional: halves[1]),
                                          steps: record.steps, guidance: Float(record.guidance), progress: progress)
        return PreparedSource(key: key, start: trajectory[record.steps], trajectory: trajectory, picture: picture,
                              originalSize: (loaded.width, loaded.height), seconds: Date().timeIntervalSince(clock))
    }

    static func readLatents(_ url: URL, shape: [Int]) throws -> Tensor {
        let t = try SafeTensorsFile(url: url).floatTensor("latents")
        guard t.shape == shape else {
            throw EditRecordError.outOfRange(key: "[sampling] latents_in", value: "\(t.shape)", allowed: "latents of shape \(shape)")
        }
        return t
    }
}
