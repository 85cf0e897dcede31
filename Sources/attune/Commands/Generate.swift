// `attune generate`: text to image with DDIM and classifier-free guidance.
import ArgumentParser
import AttuneModels
import AttuneTensor
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate an image from a prompt (DDIM).")

    @OptionGroup var model: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "The prompt.") var prompt: String
    @Option(help: "The negative prompt (the unconditional half of guidance).") var negativePrompt = ""
    @Option(help: "Seed of the starting noise (torch.randn-compatible).") var seed: UInt64 = 0
    @Option(help: "Start from x_T stored under \"latents\" [1,4,h/8,w/8] in this safetensors file.") var latentsIn: String?
    @Option(help: "Write x_T and the trajectory to this safetensors file.") var saveLatents: String?
    @Option(name: .shortAndLong, help: "Output PNG.") var output: String

    func run() throws {
        Interrupt.install()
        try checkOutputFolder(output)
        try checkOutputFolder(saveLatents)
        let sd = try model.load()
        let size = sampling.size(sd)
        let shape = [1, 4, size.height / sd.latentScale, size.width / sd.latentScale]
        var generator = TorchGenerator(seed: seed)
        let start = try latentsIn.map { try LatentFile.read($0, expected: shape) } ?? generator.randn(shape)
        let (embeddings, tokens) = sd.encodePrompts([negativePrompt, prompt])
        for t in tokens { if let w = t.truncationWarning { note(w) } }
        let halves = split(embeddings, count: 2, axis: 0)
        let (latent, trajectory) = try sd.generate(
            from: start, conditioning: Conditioning(unconditional: halves[0], conditional: halves[1]),
            steps: sampling.steps, guidance: sampling.guidance, progress: ProgressBar("generate").handler)
        if let saveLatents {
            try LatentFile.write(start: start, trajectory: trajectory, to: saveLatents,
                                 metadata: ["prompt": prompt, "negative_prompt": negativePrompt, "seed": "\(seed)", "steps": "\(sampling.steps)"])
        }
        try sd.saveImage(latent: latent, to: output)
    }
}
