// The pieces under the methods against their references: P2P's token alignment (seq_aligner), the attention map
// recorder, the T2I-Adapter (both file layouts, injected into the UNet) and Canny (OpenCV).
import AttuneEditing
import AttuneImage
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EditingPartsParityTests {
    let sd = TinyModel.diffusers

    @Test func promptToPromptMappersMatchSeqAligner() throws {
        let f = try EditFixture("p2p_alignment")
        let pairs = try #require(try JSONSerialization.jsonObject(with: Data((f.file.metadata["pairs"] ?? "{}").utf8)) as? [String: [String: Any]])
        #expect(pairs.count == 6)
        for (name, pair) in pairs {
            let source = pair["source"] as? String ?? "", target = pair["target"] as? String ?? ""
            if pair["mode"] as? String == "replace" {
                let m = try TokenAlignment.replacementMapper(source: source, target: target, tokenizer: sd.tokenizer)
                #expect(m == (try f.t("\(name).mapper")).scalars, "\(name)")
            } else {
                let (mapper, alphas) = TokenAlignment.refinementMapper(source: source, target: target, tokenizer: sd.tokenizer)
                // The reference keeps -1 for "no source token"; torch then reads position 76, as Attune stores it.
                let want = try f.t("\(name).mapper").scalars.map { $0 < 0 ? 76 : Int($0) }
                #expect(mapper == want, "\(name)")
                #expect(alphas == (try f.t("\(name).alphas")).scalars, "\(name)")
            }
        }
        #expect(throws: TokenAlignmentError.wordCountsDiffer(source: 2, target: 3)) {
            try TokenAlignment.replacementMapper(source: "a cat", target: "a red cat", tokenizer: sd.tokenizer)
        }
    }

    @Test func recorderMatchesHeadAveragedMaps() throws {
        let f = try EditFixture("recorder")
        let prompt = f.file.metadata["prompt"] ?? ""
        let (e, _) = sd.encodePrompts(["", prompt])
        let recorder = AttentionMapRecorder(queryRows: nil) { _, step, _, _ in step.index == 3 }
        var g = TorchGenerator(seed: 0)
        _ = try sd.generate(from: g.randn([1, 4, 8, 8]), conditioning: Conditioning(unconditional: slice(e, axis: 0, start: 0, length: 1),
                                                                                     conditional: slice(e, axis: 0, start: 1, length: 1)),
                            steps: 10, guidance: 7.5, processor: recorder)
        for block in 0..<16 {
            let got = try #require(recorder.records.first { $0.site.block == block && $0.site.kind == .crossAttention })
            let c = closeness(got.probabilities, try f.t("maps.block\(block)"))
            #expect(c.maxAbs < 1e-5, "block \(block): \(c)")
        }
        let selfMap = try #require(recorder.records.first { $0.site.block == 13 && $0.site.kind == .selfAttention })
        let row5 = concat((0..<2).map { slice(slice(selfMap.probabilities, axis: 0, start: $0, length: 1), axis: 1, start: 5, length: 1) }, axis: 0)
        #expect(closeness(row5.reshaped([2, 64]), try f.t("self.block13.query5")).maxAbs < 1e-5)
    }

    @Test func adapterMatchesDiffusersInBothLayouts() throws {
        let f = try EditFixture("adapter")
        let condition = try f.t("condition")
        let adapter = try T2IAdapter.load(Fixtures.url("tiny-sd/t2i-adapter"))
        for (strength, prefix) in [(Float(1), "features"), (0.5, "features_half")] {
            for (i, feature) in adapter(condition, strength: strength).enumerated() {
                #expect(closeness(feature, try f.t("\(prefix).\(i)")).relativeToScale < 1e-5, "\(prefix).\(i)")
            }
        }
        // The original T2I-Adapter layout (flat body.{k} blocks), stored in fp16.
        let original = try T2IAdapter.load(Fixtures.url("tiny-sd/t2i-adapter-original.safetensors"))
        for (i, feature) in original(condition).enumerated() {
            #expect(closeness(feature, try f.t("features.\(i)")).relativeToScale < 5e-3, "original layout feature \(i)")
        }
        let features = adapter(condition).map { concat([$0, $0], axis: 0) }
        let out = sd.unet(try f.t("unet_sample"), timestep: try f.t("unet_timestep").scalars[0], context: try f.t("unet_context"),
                          adapterFeatures: features)
        let c = closeness(out, try f.t("unet_out"))
        print("parity adapter unet: \(c)")
        #expect(c.relativeToScale < 1e-4)
        #expect(closeness(out, try f.t("unet_out_plain")).maxAbs > 0.1, "the features change the prediction")
    }

    @Test func cannyMatchesOpenCV() throws {
        let f = try EditFixture("canny")
        let image = try f.t("image")
        let bytes = image.scalars.map { UInt8($0) }
        let edges = Canny.edges(bytes, width: image.dim(1), height: image.dim(0), low: 100, high: 200)
        let want = try f.t("edges").scalars.map { $0 > 0 }
        let differing = zip(edges, want).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(want.count) pixels differ from cv2.Canny")
        #expect(want.contains(true))
    }
}
