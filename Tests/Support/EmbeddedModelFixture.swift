// The embedded model (Samples/attune-micro-sd.safetensors), loaded once per test process, and its reference
// outputs from diffusers (Tools/microsd/make_parity_fixture.py).
import AttuneModels
import AttuneTensor
import Foundation

public enum EmbeddedModelFixture {
    public static let url = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples/attune-micro-sd.safetensors")

    nonisolated(unsafe) public static let sd: StableDiffusion = {
        do { return try StableDiffusion.load(url) } catch { fatalError("embedded model \(url.path): \(error)") }
    }()

    public static let reference = ReferenceFile(Fixtures.url("micro-sd/reference.safetensors"))
}
