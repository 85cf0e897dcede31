// The tiny random SD 1.x of Tests/Fixtures/tiny-sd and its reference outputs, loaded once per test process.
import AttuneModels
import AttuneTensor
import Foundation

public enum TinyModel {
    public static let diffusersFolder = Fixtures.url("tiny-sd/diffusers")
    public static let singleFileFP16 = Fixtures.url("tiny-sd/tiny-sd-ldm-fp16.safetensors")

    nonisolated(unsafe) public static let diffusers: StableDiffusion = {
        do { return try StableDiffusion.load(diffusersFolder) } catch { fatalError("tiny model: \(error)") }
    }()

    public static let reference: SafeTensorsFile = {
        do { return try SafeTensorsFile(url: Fixtures.url("tiny-sd/reference.safetensors")) } catch { fatalError("reference: \(error)") }
    }()

    public static func ref(_ name: String) -> Tensor {
        do { return try reference.tensor(name) } catch { fatalError("reference tensor \(name): \(error)") }
    }

    public static func meta(_ key: String) -> String { reference.metadata[key] ?? "" }

    public static func jsonStrings(_ key: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(meta(key).utf8))) ?? []
    }
}
