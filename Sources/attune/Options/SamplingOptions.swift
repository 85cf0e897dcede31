// Options shared by the sampling commands, and the latent/image file helpers they use.
import ArgumentParser
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

struct SamplingOptions: ParsableArguments {
    @Option(help: "DDIM steps.") var steps = 50
    @Option(help: "Classifier-free guidance scale (1 disables it).") var guidance: Float = 7.5
    @Option(help: "Image width, a multiple of 8 (default: the model's size, 512 for SD 1.x).") var width: Int?
    @Option(help: "Image height, a multiple of 8 (default: the model's size).") var height: Int?

    func validate() throws {
        let most = DDIMScheduler().maximumSteps
        guard steps >= 1 && steps <= most else { throw ValidationError("--steps must be in 1...\(most)") }
        for (name, side) in [("width", width), ("height", height)] {
            if let side, side <= 0 || side % 8 != 0 { throw ValidationError("--\(name) must be a positive multiple of 8 (got \(side))") }
        }
    }

    /// The size asked for, each side the model's own where not given.
    func size(_ sd: StableDiffusion) -> (width: Int, height: Int) { (width ?? sd.imageSize, height ?? sd.imageSize) }
}

enum LatentFile {
    /// x_T from a safetensors file's `latents` tensor, which must be [1, 4, h, w].
    static func read(_ path: String, expected shape: [Int]) throws -> Tensor {
        let file = try SafeTensorsFile(url: URL(fileURLWithPath: path))
        guard file.contains("latents") else {
            throw ValidationError("\(path) has no tensor named \"latents\" (it has: \(file.names.prefix(8).joined(separator: ", ")))")
        }
        let t = try file.floatTensor("latents")
        guard t.shape == shape else {
            throw ValidationError("\(path): latents are \(t.shape), but \(shape) is needed for this image size")
        }
        return t
    }

    /// `latents` = x_T (so the file can be given back with --latents-in) and `trajectory` = [steps + 1, 1, 4, h, w].
    static func write(start: Tensor, trajectory: [Tensor], to path: String, metadata: [String: String]) throws {
        let stacked = concat(trajectory.map { $0.reshaped([1] + $0.shape) }, axis: 0)
        try SafeTensorsWriter.write(["latents": start, "trajectory": stacked], metadata: metadata, to: URL(fileURLWithPath: path))
    }
}

extension StableDiffusion {
    /// A PNG prepared for the model: resized and center-cropped to width x height (saying so), as a [1, 3, H, W] tensor.
    func loadImage(_ path: String, width: Int, height: Int) throws -> (tensor: Tensor, image: Image) {
        let loaded = try PNGFile.read(URL(fileURLWithPath: path))
        let (image, change) = try prepareForStableDiffusion(loaded.image, width: width, height: height)
        if let change { note("\(path): \(change)") }
        return (image.modelTensor(), image)
    }

    func saveImage(latent: Tensor, to path: String) throws {
        try PNGFile.write(Image(modelTensor: decode(latent: latent)), to: URL(fileURLWithPath: path))
        note("wrote \(path)")
    }
}
