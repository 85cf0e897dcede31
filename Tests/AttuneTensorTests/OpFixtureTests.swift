// Every op against torch on the inputs of Tools/fixtures/make_op_fixtures.py (Tests/Fixtures/ops.safetensors).
// Tolerance: 1e-5 of the reference's scale (fp32 with a different summation order).
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct OpFixtureTests {
    static let file: SafeTensorsFile = {
        do { return try SafeTensorsFile(url: Fixtures.url("ops.safetensors")) } catch { fatalError("ops fixture: \(error)") }
    }()

    func t(_ name: String) -> Tensor {
        do { return try Self.file.tensor(name) } catch { fatalError("\(name): \(error)") }
    }

    func meta(_ name: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data((Self.file.metadata[name] ?? "{}").utf8)) as? [String: Any]) ?? [:]
    }

    func expectMatches(_ got: Tensor, _ name: String, tolerance: Float = 1e-5) {
        let want = t("\(name).out")
        #expect(got.shape == want.shape, "\(name): \(got.shape) vs \(want.shape)")
        if got.shape == want.shape {
            let c = closeness(got, want)
            #expect(c.relativeToScale <= tolerance, "\(name): \(c)")
        }
    }

    @Test(arguments: ["conv3x3", "conv3x3s2", "conv_vae_down", "conv1x1", "conv1x3", "conv4x4s2"])
    func convolution(_ name: String) {
        let m = meta(name)
        let p = (m["padding"] as? [Int]) ?? [0, 0, 0, 0]
        let bias = Self.file.contains("\(name).b") ? t("\(name).b") : nil
        expectMatches(conv2d(t("\(name).x"), weight: t("\(name).w"), bias: bias, stride: m["stride"] as? Int ?? 1,
                             padding: Padding2D(top: p[0], bottom: p[1], left: p[2], right: p[3])), name)
    }

    @Test(arguments: ["group_norm", "group_norm_eps6", "group_norm_offset", "group_norm_silu"])
    func groupNormalisation(_ name: String) {
        let m = meta(name)
        expectMatches(groupNorm(t("\(name).x"), groups: m["groups"] as? Int ?? 4, weight: t("\(name).w"), bias: t("\(name).b"),
                                eps: Float(m["eps"] as? Double ?? 1e-5), activation: name.hasSuffix("silu") ? .silu : nil), name)
    }

    @Test func elementwiseAndNormalisation() {
        expectMatches(layerNorm(t("layer_norm.x"), weight: t("layer_norm.w"), bias: t("layer_norm.b"), eps: 1e-5), "layer_norm")
        expectMatches(softmax(t("softmax.x")), "softmax")
        expectMatches(gelu(t("gelu.x")), "gelu")
        expectMatches(quickGelu(t("quick_gelu.x")), "quick_gelu")
        expectMatches(silu(t("silu.x")), "silu")
        expectMatches(geglu(t("geglu.x")), "geglu")
        expectMatches(linear(t("linear.x"), weight: t("linear.w"), bias: t("linear.b")), "linear")
        expectMatches(batchedMatmul(t("bmm.a"), t("bmm.b")), "bmm")
    }

    @Test func attention() {
        for name in ["attention", "attention_bias"] {
            let m = meta(name)
            var options = AttentionOptions(keyBias: Self.file.contains("\(name).bias") ? t("\(name).bias") : nil)
            let heads = m["heads"] as? Int ?? 3
            // Collect the probabilities the kernel computes, to compare them with torch's too.
            let q = t("\(name).q")
            var collected = Tensor(zeros: [q.dim(0), heads, q.dim(1), 23])
            let probs = collected.mutableFloats
            options.probabilityEditor = { block in
                for b in 0..<block.batch { for r in 0..<block.rows {
                    let start = ((b * heads + block.head) * q.dim(1) + block.rowStart + r) * block.keys
                    _ = UnsafeMutableBufferPointer(rebasing: probs[start..<(start + block.keys)]).update(fromContentsOf: UnsafeBufferPointer(start: block.row(batch: b, row: r), count: block.keys))
                } }
            }
            let out = scaledDotProductAttention(q: q, k: t("\(name).k"), v: t("\(name).v"), heads: heads,
                                                scale: Float(m["scale"] as? Double ?? 0), options: options)
            expectMatches(out, name)
            #expect(closeness(collected, t("\(name).probs")).maxAbs < 1e-6)
        }
    }

    @Test func resamplingAndShapes() {
        expectMatches(upsampleNearest2x(t("upsample_nearest2x.x")), "upsample_nearest2x")
        expectMatches(avgPool2d(t("avg_pool2d.x"), kernel: 2), "avg_pool2d")
        expectMatches(pixelUnshuffle(t("pixel_unshuffle.x"), factor: 2), "pixel_unshuffle")
        expectMatches(concat([t("concat.a"), t("concat.b")], axis: 1), "concat")
        expectMatches(concat([t("concat_last.a"), t("concat_last.b")], axis: 2), "concat_last")
        expectMatches(permute(t("permute_nhwc.x"), [0, 2, 3, 1]), "permute_nhwc")
        expectMatches(permute(t("permute_heads.x"), [0, 2, 1, 3]), "permute_heads")
    }
}
