// --model: a single-file .safetensors checkpoint or a diffusers folder; the embedded model when omitted.
import ArgumentParser
import AttuneModels
import Foundation

struct ModelOptions: ParsableArguments {
    @Option(help: "A Stable Diffusion 1.x checkpoint: single-file .safetensors or a diffusers folder (default: the embedded model).")
    var model: String?

    @Option(help: "Weight file variant in a diffusers folder, e.g. fp16.")
    var variant: String?

    func load() throws -> StableDiffusion { try Self.load(path: model, variant: variant) }

    static func load(path: String?, variant: String? = nil) throws -> StableDiffusion {
        guard let url = path.map({ URL(fileURLWithPath: $0) }) ?? EmbeddedModel.url else {
            throw ValidationError("No model: give --model PATH (a .safetensors file or a diffusers folder); the embedded model \(EmbeddedModel.relativePath) is not in this checkout.")
        }
        let start = Date()
        let sd = try StableDiffusion.load(url, variant: variant)
        note(String(format: "loaded %@ in %.1f s", sd.description, Date().timeIntervalSince(start)))
        return sd
    }
}

/// Attune's own small model, trained on generated scenes (Samples/).
enum EmbeddedModel {
    static let relativePath = "Samples/attune-micro-sd.safetensors"

    /// Found next to the executable's checkout (the build folder lives in the repository).
    static var url: URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: cwd.path) ? cwd : nil
    }
}
