// `attune invert`: DDIM inversion of an image to x_T, with its trajectory.
import ArgumentParser
import AttuneModels
import AttuneTensor
import Foundation

struct Invert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Invert an image to its starting noise x_T (DDIM inversion).")

    @OptionGroup var model: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Source image (PNG).") var image: String
    @Option(help: "Prompt used during inversion (the editing methods' references use \"\").") var prompt = ""
    @Option(name: .shortAndLong, help: "Output safetensors file: \"latents\" = x_T, \"trajectory\" = [x_0 ... x_T].") var output: String

    func run() throws {
        Interrupt.install()
        try checkOutputFolder(output)
        let sd = try model.load()
        let size = sampling.size(sd)
        let (tensor, _) = try sd.loadImage(image, width: size.width, height: size.height)
        let (trajectory, _) = try invertImage(sd, tensor, prompt: prompt, sampling: sampling)
        try LatentFile.write(start: trajectory[trajectory.count - 1], trajectory: trajectory, to: output,
                             metadata: ["image": image, "prompt": prompt, "steps": "\(sampling.steps)", "guidance": "\(sampling.guidance)"])
        note("wrote \(output)")
    }
}

/// Encodes and inverts an image tensor; returns the trajectory [x_0 ... x_T] and the text conditioning used.
func invertImage(_ sd: StableDiffusion, _ tensor: Tensor, prompt: String, sampling: SamplingOptions) throws -> ([Tensor], Conditioning) {
    let (embeddings, tokens) = sd.encodePrompts(["", prompt])
    for t in tokens { if let w = t.truncationWarning { note(w) } }
    let halves = split(embeddings, count: 2, axis: 0)
    let conditioning = Conditioning(unconditional: halves[0], conditional: halves[1])
    let trajectory = try sd.invert(sd.encode(image: tensor), conditioning: conditioning, steps: sampling.steps,
                                   guidance: sampling.guidance, progress: ProgressBar("invert").handler)
    return (trajectory, conditioning)
}
