// `attune reconstruct`: invert an image, sample it back, and measure how close the result is (PSNR).
import ArgumentParser
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

struct Reconstruct: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Invert an image, regenerate it from x_T, print the PSNR against the input.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Source image (PNG).") var image: String
    @Option(help: "Prompt for inversion and regeneration.") var prompt = ""
    @Option(name: .shortAndLong, help: "Write the reconstruction to this PNG.") var output: String?

    func run() throws {
        Interrupt.install()
        try checkOutputFolder(output)
        let sd = try model.load()
        let size = sampling.size(sd)
        let (tensor, input) = try sd.loadImage(image, width: size.width, height: size.height)
        let (trajectory, conditioning) = try invertImage(sd, tensor, prompt: prompt, sampling: sampling)
        let (latent, _) = try sd.generate(from: trajectory[trajectory.count - 1], conditioning: conditioning, steps: sampling.steps,
                                          guidance: sampling.guidance, progress: ProgressBar("regenerate").handler)
        let result = Image(modelTensor: sd.decode(latent: latent))
        let autoencoded = Image(modelTensor: sd.decode(latent: trajectory[0]))
        print(String(format: "PSNR reconstruction vs input: %.2f dB (VAE round trip alone: %.2f dB)",
                     psnr(result, input), psnr(autoencoded, input)))
        if let output {
            try PNGFile.write(result, to: URL(fileURLWithPath: output))
            note("wrote \(output)")
        }
    }
}

/// Peak signal-to-noise ratio of two images in [0, 1], in dB.
func psnr(_ a: Image, _ b: Image) -> Double {
    precondition(a.pixels.count == b.pixels.count, "psnr: images of different sizes")
    var sum = 0.0
    for (x, y) in zip(a.pixels, b.pixels) { sum += Double((x - y) * (x - y)) }
    let mse = sum / Double(max(a.pixels.count, 1))
    return mse == 0 ? .infinity : 10 * log10(1 / mse)
}
