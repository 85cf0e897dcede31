// The Swift engine against diffusers/transformers on the same tiny random weights (Tools/fixtures/make_sd_fixtures.py).
// Tolerances: 1e-4 of the reference's scale per component in fp32, 1e-3 end to end (10 DDIM steps).
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EngineParityTests {
    let sd = TinyModel.diffusers

    @Test func schedulerMatchesDiffusers() {
        let s = sd.scheduler
        let ac = TinyModel.ref("sched.alphas_cumprod").scalars
        for (a, b) in zip(s.alphasCumprod, ac) { #expect(abs(a - b) <= 2e-7 * b) }
        for n in [50, 20, 10] {
            #expect(s.timesteps(count: n) == TinyModel.ref("sched.timesteps.\(n)").scalars.map { Int($0) })
        }
    }

    @Test func textEncoderMatchesTransformers() {
        let prompts = TinyModel.jsonStrings("text.prompts")
        #expect(prompts.count == 6)
        let (emb, tokens) = sd.encodePrompts(prompts)
        #expect(tokens.flatMap(\.ids).map(Float.init) == TinyModel.ref("text.ids").scalars)
        expectClose(emb, TinyModel.ref("text.embeddings"), 1e-4, "text embeddings")
        #expect(tokens.last?.droppedTokenCount ?? 0 > 0, "the long prompt is truncated")
    }

    @Test(arguments: ["unet", "unet_ns", "unet_lg"])
    func unetMatchesDiffusers(_ name: String) {
        let t = TinyModel.ref("\(name).timestep").scalars[0]
        let out = sd.unet(TinyModel.ref("\(name).sample"), timestep: t, context: TinyModel.ref("\(name).context"))
        expectClose(out, TinyModel.ref("\(name).out"), 1e-4, name)
        let emb = sd.unet.timestepEmbedding(t, batch: TinyModel.ref("\(name).sample").dim(0))
        expectClose(emb, TinyModel.ref("\(name).time_proj"), 1e-5, "\(name) timestep embedding")
    }

    @Test(arguments: ["vae", "vae_ns"])
    func vaeMatchesDiffusers(_ name: String) {
        expectClose(sd.vae.encode(TinyModel.ref("\(name).image")), TinyModel.ref("\(name).latent"), 1e-4, "\(name) encode")
        expectClose(sd.vae.decode(TinyModel.ref("\(name).decode_in")), TinyModel.ref("\(name).decoded"), 1e-4, "\(name) decode")
    }

    @Test(arguments: ["gen", "gen_ns"])
    func ddimGenerationMatchesDiffusers(_ name: String) throws {
        let context = TinyModel.ref("\(name).context")
        let halves = split(context, count: 2, axis: 0)
        let steps = Int(TinyModel.meta("gen.steps")) ?? 10
        let (final, trajectory) = try sd.generate(
            from: TinyModel.ref("\(name).xT"), conditioning: Conditioning(unconditional: halves[0], conditional: halves[1]),
            steps: steps, guidance: Float(TinyModel.meta("gen.guidance")) ?? 7.5)
        let want = TinyModel.ref("\(name).latents")
        for i in 0..<steps {
            expectClose(trajectory[i + 1], slice(want, axis: 0, start: i, length: 1).reshaped(trajectory[i + 1].shape), 1e-3, "\(name) step \(i)")
        }
        expectClose(final, TinyModel.ref("\(name).final"), 1e-3, "\(name) final latent")
        expectClose(sd.vae.decode(final), TinyModel.ref("\(name).image"), 1e-3, "\(name) decoded image")
    }

    @Test(arguments: ["inv", "inv_cfg"])
    func ddimInversionMatchesReference(_ name: String) throws {
        let x0 = sd.encode(image: TinyModel.ref("\(name).image"))
        expectClose(x0, TinyModel.ref("\(name).x0"), 1e-4, "\(name) x0")
        let context = TinyModel.ref("\(name).context")
        let guidance = Float(TinyModel.meta("\(name).guidance")) ?? 1
        let conditioning = context.dim(0) == 2
            ? Conditioning(unconditional: slice(context, axis: 0, start: 0, length: 1), conditional: slice(context, axis: 0, start: 1, length: 1))
            : Conditioning(unconditional: context, conditional: context)
        let trajectory = try sd.invert(TinyModel.ref("\(name).x0"), conditioning: conditioning, steps: 10, guidance: guidance)
        let want = TinyModel.ref("\(name).latents")
        for i in 0..<10 {
            expectClose(trajectory[i + 1], slice(want, axis: 0, start: i, length: 1).reshaped(trajectory[i + 1].shape), 1e-3, "\(name) step \(i)")
        }
        expectClose(trajectory[10], TinyModel.ref("\(name).xT"), 1e-3, "\(name) x_T")
        let (reconstruction, _) = try sd.generate(from: trajectory[10], conditioning: conditioning, steps: 10, guidance: guidance)
        expectClose(reconstruction, TinyModel.ref("\(name).reconstruction"), 1e-3, "\(name) reconstruction")
    }
}
