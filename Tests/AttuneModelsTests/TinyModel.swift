// The tiny random SD 1.x of Tests/Fixtures/tiny-sd and its reference outputs, loaded once per test process.
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation

enum TinyModel {
    static let diffusersFolder = Fixtures.url("tiny-sd/diffusers")
    static let singleFileFP16 = Fixtures.url("tiny-sd/tiny-sd-ldm-fp16.safetensors")

    nonisolated(unsafe) static let diffusers: StableDiffusion = {
        do { return try StableDiffusion.load(diffusersFolder) } catch { fatalError("tiny model: \(error)") }
    }()

    static let reference: SafeTensorsFile = {
        do { return try SafeTensorsFile(url: Fixtures.url("tiny-sd/reference.safetensors")) } catch { fatalError("reference: \(error)") }
    }()

    static func ref(_ name: String) -> Tensor {
        do { return try reference.tensor(name) } catch { fatalError("reference tensor \(name): \(error)") }
    }

    static func meta(_ key: String) -> String { reference.metadata[key] ?? "" }

    static func jsonStrings(_ key: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(meta(key).utf8))) ?? []
    }
}
