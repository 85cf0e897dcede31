// Every editing method against the Python references of Tools/fixtures/make_edit_fixtures.py, which implement
// Tools/fixtures/EDITING.md on diffusers attention processors with the same tiny model and inputs. Sources are
// primed with the fixture's inversions, so the comparison covers the editors and the edit loop exactly.
// Tolerance: 1e-4 of the final latents' scale (10 steps; the engine alone agrees to ~2e-6).
import AttuneEditing
import AttuneImage
import AttuneModels
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

struct EditFixture {
    let file: SafeTensorsFile
    let branches: [[String: Any]]
    let parameters: [String: Any]

    init(_ name: String) throws {
        let file = try SafeTensorsFile(url: Fixtures.url("editing/\(name).safetensors"))
        func json(_ key: String) -> Any? {
            try? JSONSerialization.jsonObject(with: Data((file.metadata[key] ?? "null").utf8), options: .fragmentsAllowed)
        }
        self.file = file
        branches = json("branches") as? [[String: Any]] ?? []
        parameters = json("parameters") as? [String: Any] ?? [:]
    }

    func t(_ name: String) throws -> Tensor { try file.tensor(name) }
    func prompt(_ i: Int) -> String { branches[i]["prompt"] as? String ?? "" }
    func int(_ key: String) -> Int? { parameters[key] as? Int }

    /// Row `i` of the x_T tensor, [1, 4, 8, 8].
    func start(_ i: Int) throws -> Tensor { slice(try t("xT"), axis: 0, start: i, length: 1) }

    func trajectory(_ name: String) throws -> [Tensor] {
        let all = try t("trajectory.\(name)")
        return (0..<all.dim(0)).map { slice(all, axis: 0, start: $0, length: 1).reshaped([1, 4, 8, 8]) }
    }

    /// A fixture mask written as a PNG (values are 0 or 1, exact in 8 bits).
    func maskFile(_ name: String) throws -> URL {
        let m = try t("mask.\(name)")
        let url = Fixtures.temporaryDirectory("edit-mask").appendingPathComponent("\(name).png")
        try PNGFile.write(Image(width: m.dim(1), height: m.dim(0), channels: 1, pixels: m.scalars), to: url)
        return url
    }
}

@Suite(.serialized) struct EditingParityTests {
    let sd = TinyModel.diffusers
    /// Stand-ins for the fixture's pictures: existing files, so that source keys can be formed; their
    /// inversions come from the fixture (primed), never from these files.
    let sourcePicture = Fixtures.url("images/rgb8.png")
    let subjectPicture = Fixtures.url("images/rgba8.png")

    func record(_ method: EditMethod, _ f: EditFixture, real: Bool, target: Int = 1) -> EditRecord {
        var r = EditRecord(method: method, sourceImage: real ? sourcePicture : nil, seed: real ? nil : 0,
                           sourcePrompt: f.prompt(0), targetPrompt: f.prompt(target))
        (r.steps, r.width, r.height, r.guidance) = (10, 64, 64, 7.5)
        return r
    }

    func session(priming r: EditRecord, _ f: EditFixture, source: String = "source") throws -> EditSession {
        let s = EditSession(model: sd, cacheLimitBytes: 0)
        if r.sourceImage != nil {
            // A free-running source keeps no trajectory in the fixture; it needs none.
            let trajectory = f.file.contains("trajectory.\(source)") ? try f.trajectory(source) : nil
            s.prime(PreparedSource(key: r.sourceKey, start: try f.start(0), trajectory: trajectory, originalSize: (64, 64)))
        }
        return s
    }

    func expectParity(_ o: EditOutcome, _ f: EditFixture, _ name: String, tolerance: Float = 1e-4) throws {
        let want = try f.t("final")
        #expect(o.latents.shape == want.shape)
        let c = closeness(o.latents, want)
        print("parity edit \(name): \(c)")
        #expect(c.relativeToScale < tolerance, "\(name): \(c)")
        // An edit that matches the reference must also differ from plain generation, or the test proves nothing.
        #expect(closeness(slice(o.latents, axis: 0, start: o.targetBranch, length: 1), try f.t("plain_final")).maxAbs > 0.1)
    }

    @Test(arguments: ["masactrl_synth", "masactrl_real", "masactrl_real_free", "masactrl_mask", "masactrl_auto", "masactrl_auto_l3"])
    func masactrl(_ name: String) throws {
        let f = try EditFixture(name)
        var r = record(.masactrl, f, real: name.contains("real"))
        r.startStep = f.int("start_step") ?? 4
        r.startLayer = f.int("start_layer") ?? 10
        r.pinSource = name != "masactrl_real_free"
        if name == "masactrl_mask" {
            r.mask = try f.maskFile("source")
            r.targetMask = try f.maskFile("target")
        }
        if name.hasPrefix("masactrl_auto") { r.maskToken = 2 }
        try expectParity(try session(priming: r, f).run(r), f, name)
    }

    @Test(arguments: ["fpe_synth", "fpe_real"])
    func freePromptEditing(_ name: String) throws {
        let f = try EditFixture(name)
        var r = record(.fpe, f, real: name == "fpe_real")
        r.selfReplaceFraction = 0.8
        try expectParity(try session(priming: r, f).run(r), f, name)
    }

    @Test(arguments: ["p2p_replace", "p2p_refine"])
    func promptToPrompt(_ name: String) throws {
        let f = try EditFixture(name)
        var r = record(.p2p, f, real: false)
        r.p2pMode = name == "p2p_refine" ? .refine : .replace
        (r.crossReplaceFraction, r.selfReplaceFraction) = (0.8, 0.4)
        try expectParity(try session(priming: r, f).run(r), f, name)
    }

    @Test func mcactrlReplacement() throws {
        let f = try EditFixture("mcactrl_replace")
        var r = record(.mcactrl, f, real: true, target: 2)
        r.subjectImage = subjectPicture
        r.subjectPrompt = f.prompt(1)
        r.mask = try f.maskFile("condition")
        r.subjectMask = try f.maskFile("subject")
        r.maskDilation = 5
        (r.startLayer, r.mcaSALQStart) = (9, 2)
        let s = try session(priming: r, f, source: "condition")
        var subject = r
        (subject.sourceImage, subject.sourcePrompt) = (subjectPicture, f.prompt(1))
        s.prime(PreparedSource(key: subject.sourceKey, start: try f.start(1), trajectory: try f.trajectory("subject"), originalSize: (64, 64)))
        try expectParity(try s.run(r), f, "mcactrl_replace")
    }

    @Test func mcactrlSubjectGeneration() throws {
        let f = try EditFixture("mcactrl_generate")
        var r = record(.mcactrl, f, real: false)
        r.sourcePrompt = ""
        r.subjectImage = subjectPicture
        r.subjectPrompt = f.prompt(0)
        r.subjectMask = try f.maskFile("subject")
        r.maskToken = 3
        (r.startLayer, r.mcaSALQStart) = (0, 2)
        let s = EditSession(model: sd, cacheLimitBytes: 0)
        var subject = r
        (subject.sourceImage, subject.sourcePrompt, subject.seed) = (subjectPicture, f.prompt(0), nil)
        s.prime(PreparedSource(key: subject.sourceKey, start: try f.start(0), trajectory: try f.trajectory("subject"), originalSize: (64, 64)))
        try expectParity(try s.run(r), f, "mcactrl_generate")
    }

    @Test func masafusionWithoutAdapter() throws {
        let f = try EditFixture("masafusion_alg5")
        var r = record(.masafusion, f, real: true, target: 2)
        r.mask = try f.maskFile("A")
        try expectParity(try session(priming: r, f).run(r), f, "masafusion_alg5")
    }

    @Test func masafusionWithAdapter() throws {
        let f = try EditFixture("masafusion_alg1")
        var r = record(.masafusion, f, real: true, target: 4)
        r.seed = 0
        r.mask = try f.maskFile("A")
        r.adapter = Fixtures.url("tiny-sd/t2i-adapter")
        let condition = try f.t("condition")
        let url = Fixtures.temporaryDirectory("sketch").appendingPathComponent("sketch.png")
        try PNGFile.write(Image(width: 64, height: 64, channels: 1, pixels: condition.scalars), to: url)
        r.condition = url
        try expectParity(try session(priming: r, f).run(r), f, "masafusion_alg1")
    }

    @Test func embctrl() throws {
        let f = try EditFixture("embctrl")
        var r = record(.masafusion, f, real: true)
        r.variant = "embctrl"
        try expectParity(try session(priming: r, f).run(r), f, "embctrl")
    }
}
