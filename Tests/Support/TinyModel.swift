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

    public static let reference = ReferenceFile(Fixtures.url("tiny-sd/reference.safetensors"))

    public static func ref(_ name: String) -> Tensor { reference.tensor(name) }
    public static func meta(_ key: String) -> String { reference.meta(key) }
    public static func jsonStrings(_ key: String) -> [String] { reference.jsonStrings(key) }
}
