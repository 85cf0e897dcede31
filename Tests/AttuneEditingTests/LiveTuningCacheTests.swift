// Re-editing one source runs only the target branches, and gives what a full run gives.
import AttuneEditing
import AttuneImage
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct LiveTuningCacheTests {
    let sd = TinyModel.diffusers

    func base(_ method: EditMethod) -> EditRecord {
        var r = EditRecord(method: method, sourceImage: Fixtures.url("images/rgb8.png"), sourcePrompt: "",
                           targetPrompt: "a cat sitting on a wooden table")
        r.steps = 5
        r.width = 64
        r.height = 64
        return r
    }

    func mask(_ name: String) throws -> URL {
        var pixels = [Float](repeating: 0, count: 64 * 64)
        for y in 16..<48 { for x in 8..<40 { pixels[y * 64 + x] = 1 } }
        let url = Fixtures.temporaryDirectory("cache").appendingPathComponent(name)
        try PNGFile.write(Image(width: 64, height: 64, channels: 1, pixels: pixels), to: url)
        return url
    }

    /// A second edit (changed target, S or L) in the same session must take every step from the cache and match a
    /// fresh session's full run of that record (up to the cache's fp16 rounding).
    @Test(arguments: ["masactrl", "masactrl-auto", "fpe", "p2p", "masafusion", "embctrl", "mcactrl"])
    func secondEditRunsTargetOnlyAndMatchesAFullRun(_ name: String) throws {
        var r: EditRecord
        switch name {
        case "masactrl-auto":
            r = base(.masactrl)
            r.maskToken = 2
            r.startStep = 1
        case "masafusion":
            r = base(.masafusion)
            r.mask = try mask("a.png")
        case "embctrl":
            r = base(.masafusion)
            r.sourcePrompt = "a cat sitting on a wooden table"
            r.variant = "embctrl"
        case "mcactrl":
            r = base(.mcactrl)
            r.subjectImage = Fixtures.url("images/rgba8.png")
            r.mask = try mask("region.png")
            r.startLayer = 9
        case "p2p":
            r = base(.p2p)
            r.sourcePrompt = "a cat sitting on a wooden table"
            r.targetPrompt = "a dog sitting on a wooden table"
        default:
            r = base(EditMethod(rawValue: name)!)
        }
        let session = EditSession(model: sd)
        let first = try session.run(r)
        #expect(first.stepsFromCache == 0)
        if r.method != .p2p { r.targetPrompt = "a photograph of an astronaut riding a horse" }
        r.startStep = max(0, r.startStep - 1)
        let second = try session.run(r)
        #expect(second.stepsFromCache == r.steps, "\(name): \(second.stepsFromCache) of \(r.steps) steps from the cache")
        let full = try EditSession(model: sd, cacheLimitBytes: 0).run(r)
        // The cache keeps queries, keys and values in fp16: 1e-4..1e-3 of the scale here.
        let c = closeness(second.latents, full.latents)
        #expect(c.relativeToScale < 3e-3, "\(name): \(c)")
        print("cache \(name): first edit \(String(format: "%.3f", first.editSeconds)) s, cached edit \(String(format: "%.3f", second.editSeconds)) s, full \(String(format: "%.3f", full.editSeconds)) s, \(second.cacheBytes) bytes")
    }

    @Test func theLimitBoundsTheCache() throws {
        let session = EditSession(model: sd, cacheLimitBytes: 1)
        var r = base(.masactrl)
        _ = try session.run(r)
        r.startStep = 2
        let again = try session.run(r)
        #expect(again.stepsFromCache == 0 && again.cacheBytes == 0)
    }

    @Test func switchingMethodsRecordsWhatTheNewOneReads() throws {
        let session = EditSession(model: sd)
        var r = base(.masactrl)
        r.sourcePrompt = "a cat sitting on a wooden table"
        r.targetPrompt = "a dog sitting on a wooden table"
        _ = try session.run(r)
        r.method = .fpe
        let fpe = try session.run(r)
        #expect(fpe.stepsFromCache == 0, "FPE reads the source's queries, which MasaCtrl did not keep")
        r.method = .masactrl
        let back = try session.run(r)
        #expect(back.stepsFromCache == r.steps)
    }
}
