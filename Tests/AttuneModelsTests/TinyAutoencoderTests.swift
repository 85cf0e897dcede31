// The TAESD preview decoder against diffusers' AutoencoderTiny (Tools/fixtures/make_taesd_fixture.py).
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct TinyAutoencoderTests {
    @Test func decoderMatchesDiffusers() throws {
        let decoder = try TinyAutoencoderDecoder.load(Fixtures.url("taesd/decoder.safetensors"))
        let reference = try SafeTensorsFile(url: Fixtures.url("taesd/reference.safetensors"))
        let picture = decoder(try reference.tensor("latent"))
        let c = closeness(picture, try reference.tensor("picture"))
        print("parity taesd: \(c)")
        #expect(picture.shape == [1, 3, 64, 64])
        #expect(c.relativeToScale < 1e-4)
    }

    @Test func aFileWithoutDecoderLayersIsRefused() throws {
        #expect(throws: CheckpointError.self) { try TinyAutoencoderDecoder.load(Fixtures.url("taesd/reference.safetensors")) }
    }
}
