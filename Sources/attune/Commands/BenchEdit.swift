// `attune bench edit`: what the live-tuning cache saves. The same source edited twice in one session (the
// second time with another S and target prompt) against the same second edit in a fresh session; on the
// full-size SD 1.5 architecture with random weights unless --model is given.
import ArgumentParser
import AttuneEditing
import AttuneModels
import AttuneTensor
import Foundation

struct BenchEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Seconds per edit with and without the live-tuning cache.")

    @Option(help: "A checkpoint (default: SD 1.5's architecture with random weights).") var model: String?
    @Option(help: "masactrl | fpe | masafusion | mcactrl | p2p") var method = "masactrl"
    @Option(help: "DDIM steps.") var steps = 10
    @Option(help: "Image side.") var size = 256

    func run() throws {
        print(BenchEnvironment.header)
        let sd: StableDiffusion
        if let model {
            sd = try ModelOptions.load(path: model)
        } else {
            sd = StableDiffusion(LoadedModel(
                tokenizer: try CLIPTokenizer.bundled(), textEncoder: CLIPTextModel(randomWeightStore(.f32), configuration: .sd15),
                unet: UNet(randomWeightStore(.f32), configuration: .sd15), vae: AutoencoderKL(randomWeightStore(.f32), configuration: .sd15),
                description: "SD 1.5 architecture, random weights"))
        }
        guard let m = EditMethod(rawValue: method), m == .masactrl || m == .fpe || m == .p2p else {
            throw ValidationError("bench edit runs masactrl, fpe or p2p (no masks or subject pictures needed)")
        }
        var r = EditRecord(method: m, seed: 1, sourcePrompt: "a cat sitting on a wooden table", targetPrompt: "a dog sitting on a wooden table")
        (r.steps, r.width, r.height) = (steps, size, size)
        let session = EditSession(model: sd, cacheLimitBytes: 8 << 30)
        let first = try session.run(r)
        r.startStep = max(0, r.startStep - 1)
        r.targetPrompt = "a fox sitting on a wooden table"
        let cached = try session.run(r)
        let fresh = try EditSession(model: sd, cacheLimitBytes: 0).run(r)
        print(String(format: "first edit %.2f s; re-edit from the cache %.2f s (%d/%d steps target-only, cache %.0f MB); same re-edit without cache %.2f s: %.2fx faster, %.2f s saved per edit",
                     first.editSeconds, cached.editSeconds, cached.stepsFromCache, r.steps, Double(cached.cacheBytes) / 1e6,
                     fresh.editSeconds, fresh.editSeconds / cached.editSeconds, fresh.editSeconds - cached.editSeconds))
    }
}
