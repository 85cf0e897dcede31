// Loading both layouts and refusing broken files with errors that name what is wrong.
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct CheckpointLoadingTests {
    /// The size commands default to, read without loading weights: a folder's sample_size x the VAE's downscale,
    /// a single file's image_size hint, else SD 1.x's 512; nothing for a missing path.
    @Test func imageSizeIsReadWithoutLoading() {
        #expect(CheckpointLoader.imageSize(of: TinyModel.diffusersFolder) == 64)
        #expect(CheckpointLoader.imageSize(of: TinyModel.singleFileFP16) == 512)
        #expect(CheckpointLoader.imageSize(of: EmbeddedModelFixture.url) == 128)
        #expect(CheckpointLoader.imageSize(of: Fixtures.url("no-such-model")) == nil)
        #expect(TinyModel.diffusers.imageSize == 64)
    }

    /// The original-layout fp16 file must give the same parameters as the diffusers folder rounded to fp16:
    /// every key mapped, every shape right. Checked through the UNet output against the fp32 reference.
    @Test func singleFileFP16MatchesDiffusersFolder() throws {
        let model = try CheckpointLoader.load(TinyModel.singleFileFP16)
        #expect(model.description.contains("F16"))
        #expect(model.unet.configuration.blockOutChannels == TinyModel.diffusers.unet.configuration.blockOutChannels)
        #expect(model.unet.configuration.attentionHeads == TinyModel.diffusers.unet.configuration.attentionHeads)
        let out = model.unet(TinyModel.ref("unet.sample"), timestep: 981, context: TinyModel.ref("unet.context"))
        let c = closeness(out, TinyModel.ref("unet.out"))
        print("parity fp16 single-file unet: \(c)")
        // fp16 weights: diffusers' own from_single_file differs by 1.1e-3 of the output scale here.
        #expect(c.relativeToScale < 5e-3)
        let decoded = model.vae.decode(TinyModel.ref("vae.decode_in"))
        #expect(closeness(decoded, TinyModel.ref("vae.decoded")).relativeToScale < 5e-3)
        let text = model.textEncoder([TinyModel.diffusers.tokenizer.encode("a photograph of an astronaut riding a horse").ids])
        #expect(closeness(text, slice(TinyModel.ref("text.embeddings"), axis: 0, start: 1, length: 1)).relativeToScale < 5e-3)
    }

    /// A copy of the fp16 file with tensors dropped, renamed or reshaped, written by our own writer.
    func brokenCopy(_ edit: (inout [String: Tensor]) -> Void) throws -> URL {
        let file = try SafeTensorsFile(url: TinyModel.singleFileFP16)
        var tensors: [String: Tensor] = [:]
        for n in file.names { tensors[n] = try file.tensor(n) }
        edit(&tensors)
        let url = Fixtures.temporaryDirectory().appendingPathComponent("broken.safetensors")
        try SafeTensorsWriter.write(tensors, metadata: file.metadata, to: url)
        return url
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return error.localizedDescription
        }
    }

    @Test func missingUnexpectedAndMisshapenKeysAreNamed() throws {
        let url = try brokenCopy { t in
            t["model.diffusion_model.output_blocks.5.1.proj_out.weight"] = nil
            t["model.diffusion_model.not_a_layer.weight"] = Tensor(zeros: [3])
            t["first_stage_model.decoder.conv_in.bias"] = Tensor(zeros: [5]).converted(to: .f16)
        }
        let text = message { _ = try CheckpointLoader.load(url) }
        #expect(text.contains("up_blocks.1.attentions.2.proj_out.weight"), "\(text)")
        #expect(text.contains("not_a_layer.weight"), "\(text)")
        #expect(text.contains("decoder.conv_in.bias: expected [24], found [5]"), "\(text)")
    }

    @Test func truncatedAndForeignFilesAreRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        let data = try Data(contentsOf: TinyModel.singleFileFP16)
        let truncated = dir.appendingPathComponent("truncated.safetensors")
        try data.prefix(data.count / 2).write(to: truncated)
        #expect(message { _ = try CheckpointLoader.load(truncated) }.contains("truncated") ||
                message { _ = try CheckpointLoader.load(truncated) }.contains("beyond"))

        let pickle = dir.appendingPathComponent("model.ckpt")
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0]).write(to: pickle)
        #expect(message { _ = try CheckpointLoader.load(pickle) }.contains("safetensors"))
        let disguised = dir.appendingPathComponent("disguised.safetensors")
        try Data([0x80, 0x02, 0x7D, 0x71]).write(to: disguised)
        #expect(message { _ = try CheckpointLoader.load(disguised) }.contains("pickle"))

        let onlyVAE = try brokenCopy { t in for k in t.keys where k.hasPrefix("model.diffusion_model.") { t[k] = nil } }
        #expect(message { _ = try CheckpointLoader.load(onlyVAE) }.contains("no UNet weights"))
        #expect(message { _ = try CheckpointLoader.load(dir.appendingPathComponent("nothing-here")) }.contains("No model at"))
        #expect(message { _ = try CheckpointLoader.load(dir) }.contains("model_index.json"))
    }

    @Test func diffusersFolderWithABrokenConfigIsNamed() throws {
        let dir = Fixtures.temporaryDirectory()
        let fm = FileManager.default
        for item in try fm.contentsOfDirectory(atPath: TinyModel.diffusersFolder.path) {
            try fm.copyItem(at: TinyModel.diffusersFolder.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        let config = dir.appendingPathComponent("unet/config.json")
        try Data(#"{"in_channels": 4}"#.utf8).write(to: config)
        let text = message { _ = try CheckpointLoader.load(dir) }
        #expect(text.contains("unet/config.json") && text.contains("block_out_channels"), "\(text)")
        try fm.removeItem(at: config)
        try fm.copyItem(at: TinyModel.diffusersFolder.appendingPathComponent("unet/config.json"), to: config)
        try fm.removeItem(at: dir.appendingPathComponent("vae"))
        #expect(message { _ = try CheckpointLoader.load(dir) }.contains("vae"))
    }

    /// A diffusers folder whose weights are also stored as `*.fp16.safetensors` and `*.bf16.safetensors` variants
    /// (written here from the fp32 files): `variant` picks them, they stay in their precision, and the UNet still
    /// follows the fp32 reference within half-precision rounding.
    @Test func halfPrecisionVariantsOfADiffusersFolder() throws {
        let dir = Fixtures.temporaryDirectory("variants")
        let fm = FileManager.default
        for item in try fm.contentsOfDirectory(atPath: TinyModel.diffusersFolder.path) {
            try fm.copyItem(at: TinyModel.diffusersFolder.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        for (component, stem) in [("unet", "diffusion_pytorch_model"), ("vae", "diffusion_pytorch_model"), ("text_encoder", "model")] {
            let file = try SafeTensorsFile(url: dir.appendingPathComponent("\(component)/\(stem).safetensors"))
            for dtype in [DType.f16, .bf16] {
                var tensors: [String: Tensor] = [:]
                for n in file.names { tensors[n] = try file.tensor(n).converted(to: dtype) }
                try SafeTensorsWriter.write(tensors, to: dir.appendingPathComponent("\(component)/\(stem).\(dtype == .f16 ? "fp16" : "bf16").safetensors"))
            }
        }
        for (variant, name, tolerance) in [("fp16", "F16", Float(5e-3)), ("bf16", "BF16", 4e-2)] {
            let model = try CheckpointLoader.load(dir, variant: variant)
            #expect(model.description.contains(name), "\(model.description)")
            let out = model.unet(TinyModel.ref("unet.sample"), timestep: 981, context: TinyModel.ref("unet.context"))
            let c = closeness(out, TinyModel.ref("unet.out"))
            print("parity \(variant) diffusers-folder unet: \(c)")
            #expect(c.relativeToScale < tolerance)
        }
    }
}
