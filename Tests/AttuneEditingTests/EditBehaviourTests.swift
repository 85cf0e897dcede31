// What every method must do, whatever the reference numbers: no effect where the method is switched off,
// the source reproduced where it should be, masks respected, MCA-Ctrl's branches in one batch.
import AttuneEditing
import AttuneImage
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EditBehaviourTests {
    let sd = TinyModel.diffusers
    let steps = 6

    func record(_ method: EditMethod, source: String = "a cat sitting on a wooden table", target: String = "a dog sitting on a wooden table") -> EditRecord {
        var r = EditRecord(method: method, seed: 3, sourcePrompt: source, targetPrompt: target)
        r.steps = steps
        r.width = 64
        r.height = 64
        return r
    }

    /// Plain DDIM of one prompt from the record's noise.
    func plain(_ r: EditRecord, prompt: String) throws -> Tensor {
        let (e, _) = sd.encodePrompts([r.negativePrompt, prompt])
        var g = TorchGenerator(seed: r.seed ?? 0)
        return try sd.generate(from: g.randn([1, 4, 8, 8]), conditioning: Conditioning(unconditional: slice(e, axis: 0, start: 0, length: 1),
                                                                                        conditional: slice(e, axis: 0, start: 1, length: 1)),
                               steps: r.steps, guidance: Float(r.guidance)).latent
    }

    func targetLatent(_ o: EditOutcome) -> Tensor { slice(o.latents, axis: 0, start: o.targetBranch, length: 1) }
    func sourceLatent(_ o: EditOutcome) -> Tensor { slice(o.latents, axis: 0, start: 0, length: 1) }

    @Test func masactrlWithSAtTheStepCountIsPlainGeneration() throws {
        var r = record(.masactrl)
        r.startStep = steps
        let o = try EditSession(model: sd).run(r)
        // Batched with another branch vs alone: the same math, summed in other orders by BLAS (1e-6).
        #expect(closeness(targetLatent(o), try plain(r, prompt: r.targetPrompt)).relativeToScale < 1e-5)
        #expect(closeness(sourceLatent(o), try plain(r, prompt: r.sourcePrompt)).relativeToScale < 1e-5)
        // With S = 0 the same edit changes the target.
        r.startStep = 0
        r.startLayer = 0
        let edited = try EditSession(model: sd).run(r)
        #expect(closeness(targetLatent(edited), try plain(r, prompt: r.targetPrompt)).maxAbs > 1e-2)
    }

    @Test func masactrlStopsAtItsEndStep() throws {
        var r = record(.masactrl)
        (r.startStep, r.startLayer, r.endStep) = (0, 0, 0)
        let o = try EditSession(model: sd).run(r)
        #expect(closeness(targetLatent(o), try plain(r, prompt: r.targetPrompt)).relativeToScale < 1e-5)
        r.endStep = 2
        let edited = try EditSession(model: sd).run(r)
        #expect(closeness(targetLatent(edited), try plain(r, prompt: r.targetPrompt)).maxAbs > 1e-2)
    }

    @Test func masactrlWithEqualPromptsReproducesTheSource() throws {
        var r = record(.masactrl, target: "a cat sitting on a wooden table")
        r.startStep = 0
        r.startLayer = 0
        let o = try EditSession(model: sd).run(r)
        #expect(targetLatent(o).scalars == sourceLatent(o).scalars)
        // A real picture, source running free: the target with the source's prompt is the source's reconstruction.
        r.sourceImage = Fixtures.url("images/rgb8.png")
        r.pinSource = false
        let real = try EditSession(model: sd).run(r)
        #expect(closeness(targetLatent(real), sourceLatent(real)).maxAbs < 1e-5)
    }

    @Test(arguments: [EditMethod.fpe, .p2p])
    func conditionalHalfMethodsChangeTheTargetOnly(_ method: EditMethod) throws {
        let r = record(method)
        let o = try EditSession(model: sd).run(r)
        #expect(closeness(sourceLatent(o), try plain(r, prompt: r.sourcePrompt)).relativeToScale < 1e-5)
        #expect(closeness(targetLatent(o), try plain(r, prompt: r.targetPrompt)).maxAbs > 1e-2)
    }

    /// A mask file of the model's size: a white square (x0..<x1, y0..<y1) on black.
    func squareMask(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, name: String) throws -> URL {
        var pixels = [Float](repeating: 0, count: 64 * 64)
        for y in y0..<y1 { for x in x0..<x1 { pixels[y * 64 + x] = 1 } }
        let url = Fixtures.temporaryDirectory("mask").appendingPathComponent(name)
        try PNGFile.write(Image(width: 64, height: 64, channels: 1, pixels: pixels), to: url)
        return url
    }

    /// Fraction of latent positions (8x8) outside a mask, and the latent's distance there.
    func outsideDistance(_ a: Tensor, _ b: Tensor, insideLatent: (Int, Int) -> Bool) -> Float {
        let av = a.scalars, bv = b.scalars
        var worst: Float = 0
        for c in 0..<4 { for y in 0..<8 { for x in 0..<8 where !insideLatent(x, y) {
            worst = max(worst, abs(av[(c * 8 + y) * 8 + x] - bv[(c * 8 + y) * 8 + x]))
        } } }
        return worst
    }

    @Test func mcactrlKeepsTheConditionOutsideTheEditRegionInOneThreeBranchBatch() throws {
        var r = record(.mcactrl, target: "a photograph of an astronaut riding a horse")
        r.sourceImage = Fixtures.url("images/rgb8.png")
        r.sourcePrompt = ""
        r.subjectImage = Fixtures.url("images/rgba8.png")
        r.mask = try squareMask(16, 16, 40, 40, name: "region.png")
        r.maskDilation = 1
        r.startLayer = 9
        let session = EditSession(model: sd)
        let recorder = AttentionMapRecorder { site, _, _, _ in site.kind == .crossAttention }
        let o = try session.run(r, observer: recorder)
        #expect(o.latents.dim(0) == 3)
        #expect(recorder.records.first?.probabilities.dim(0) == 6, "condition, subject, target × two guidance halves")
        // Dilated once at 64x64 the region is 15..<41, latent cells 1...5 after nearest resizing; outside them the
        // target ends as the condition's x_0 (the last blend uses the start of its inversion).
        let picture = try prepareForStableDiffusion(try PNGFile.read(r.sourceImage!).image, width: 64, height: 64).image
        let x0 = sd.encode(image: picture.modelTensor())
        #expect(outsideDistance(targetLatent(o), x0) { x, y in (1...5).contains(x) && (1...5).contains(y) } < 1e-6)
        #expect(closeness(targetLatent(o), x0).maxAbs > 1e-2, "inside the region the target differs")
    }

    @Test func masafusionFollowsTheSourceOutsideAWhereThePlainTargetDoesNot() throws {
        var r = record(.masafusion)
        r.mask = try squareMask(24, 24, 48, 48, name: "a.png")
        let o = try EditSession(model: sd).run(r)
        let source = sourceLatent(o), target = targetLatent(o)
        let plainTarget = try plain(r, prompt: r.targetPrompt)
        let inside: (Int, Int) -> Bool = { x, y in (3..<6).contains(x) && (3..<6).contains(y) }
        #expect(outsideDistance(target, source, insideLatent: inside) < outsideDistance(plainTarget, source, insideLatent: inside))
        #expect(closeness(target, plainTarget).maxAbs > 1e-2)
    }

    @Test func recordsReplayBitForBit() throws {
        var r = record(.masactrl)
        r.startStep = 1
        let dir = Fixtures.temporaryDirectory("replay")
        let url = dir.appendingPathComponent("edit.toml")
        try r.write(to: url)
        let again = try EditRecord(contentsOf: url)
        #expect(try EditSession(model: sd).run(again).target == (try EditSession(model: sd).run(r)).target)
    }

    @Test func secondEditOfTheSameSourceReusesItsInversion() throws {
        var r = record(.masactrl)
        r.sourceImage = Fixtures.url("images/rgb8.png")
        r.sourcePrompt = ""
        let session = EditSession(model: sd)
        let first = try session.run(r)
        r.targetPrompt = "a cat sitting on a wooden table"
        r.startStep = 2
        let second = try session.run(r)
        #expect(!first.sourceReused && second.sourceReused)
    }

    @Test func badMasksAreRefusedWithTheirSizes() throws {
        var r = record(.masactrl)
        let url = Fixtures.temporaryDirectory("mask").appendingPathComponent("small.png")
        try PNGFile.write(Image(width: 10, height: 7, channels: 1, filling: 1), to: url)
        r.mask = url
        #expect { try EditSession(model: sd).run(r) } throws: { ($0 as? LocalizedError)?.errorDescription?.contains("10x7") ?? false }
        let black = Fixtures.temporaryDirectory("mask").appendingPathComponent("black.png")
        try PNGFile.write(Image(width: 64, height: 64, channels: 1, filling: 0), to: black)
        r.mask = black
        #expect { try EditSession(model: sd).run(r) } throws: { ($0 as? MaskError) == .empty(path: black.path) }
    }
}
