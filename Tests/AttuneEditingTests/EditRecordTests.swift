// Edit records: TOML layout, round trip, relative paths, and the errors for bad files and bad values.
@testable import AttuneEditing
import AttuneTOML
import AttuneTestSupport
import Foundation
import Testing

@Suite struct EditRecordTests {
    private func full(in directory: URL) -> EditRecord {
        var record = EditRecord(
            method: .p2p, sourceImage: directory.appendingPathComponent("cat.png"), seed: 42,
            sourcePrompt: "a photo of a cat", targetPrompt: "a photo of a dog")
        record.model = URL(fileURLWithPath: "/models/sd-v1-5.safetensors")
        record.negativePrompt = "blurry"
        record.steps = 30
        record.guidance = 6.5
        record.width = 768
        record.height = 512
        record.latentsIn = directory.appendingPathComponent("inv/latents.bin")
        record.startStep = 5
        record.startLayer = 8
        record.endStep = 25
        record.endLayer = 16
        record.selfReplaceFraction = 0.6
        record.crossReplaceFraction = 0.3
        record.p2pMode = .refine
        record.mcaSAGIStart = 0
        record.mcaSAGIEnd = 5
        record.mcaSALQStart = 4
        record.mcaSALQEnd = 30
        record.mask = directory.appendingPathComponent("masks/cat.png")
        record.maskToken = 5
        record.maskThreshold = 0.25
        record.pinSource = false
        record.adapter = URL(fileURLWithPath: "/models/t2iadapter_sketch.pth")
        record.condition = directory.appendingPathComponent("sketch.png")
        record.conditionStrength = 0.8
        record.subjectImage = directory.appendingPathComponent("fox.png")
        record.subjectPrompt = "a photo of a fox"
        record.subjectMask = directory.appendingPathComponent("fox-mask.png")
        record.variant = "replace"
        record.fusionSteps = 20
        record.maskDilation = 3
        record.output = directory.appendingPathComponent("out/dog.png")
        record.attuneVersion = "0.1.0"
        return record
    }

    @Test func writesGroupedTablesWithRelativePaths() throws {
        let directory = Fixtures.temporaryDirectory("record")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("edit.toml")
        try full(in: directory).write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == """
                attune_version = "0.1.0"
                model = "/models/sd-v1-5.safetensors"

                [source]
                image = "cat.png"
                seed = 42

                [prompts]
                source = "a photo of a cat"
                target = "a photo of a dog"
                negative = "blurry"

                [method]
                name = "p2p"
                start_step = 5
                start_layer = 8
                end_step = 25
                end_layer = 16
                self_replace_fraction = 0.6
                cross_replace_fraction = 0.3
                p2p_mode = "refine"
                sagi_start = 0
                sagi_end = 5
                salq_start = 4
                salq_end = 30
                variant = "replace"
                fusion_steps = 20

                [sampling]
                steps = 30
                guidance = 6.5
                width = 768
                height = 512
                latents_in = "inv/latents.bin"

                [mask]
                path = "masks/cat.png"
                token = 5
                threshold = 0.25
                pin_source = false
                dilation = 3

                [adapter]
                path = "/models/t2iadapter_sketch.pth"
                condition = "sketch.png"
                strength = 0.8

                [subject]
                image = "fox.png"
                prompt = "a photo of a fox"
                mask = "fox-mask.png"

                [output]
                path = "out/dog.png"

                """)
    }

    @Test func roundTripKeepsEveryField() throws {
        let directory = Fixtures.temporaryDirectory("record")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("edit.toml")
        let record = full(in: directory)
        try record.write(to: url)
        #expect(try EditRecord(contentsOf: url) == record)

        let minimal = EditRecord(method: .masactrl, seed: UInt64.max, targetPrompt: "x")
        try minimal.write(to: url)
        #expect(try EditRecord(contentsOf: url) == minimal)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("seed = \"18446744073709551615\""))
    }

    @Test func defaultsFillMissingKeys() throws {
        let record = try EditRecord(
            toml: TOML.parse("[method]\nname = \"fpe\"\n[source]\nseed = 1\n[prompts]\ntarget = \"t\""),
            baseDirectory: URL(fileURLWithPath: "/"))
        #expect(record.method == .fpe)
        #expect(record.steps == 50 && record.guidance == 7.5 && record.width == 512 && record.height == 512)
        #expect(record.startStep == 4 && record.startLayer == 10 && record.endStep == nil && record.endLayer == nil)
        #expect(record.maskThreshold == 0.1 && record.pinSource && record.conditionStrength == 1.0)
        #expect(record.selfReplaceFraction == 0.8 && record.crossReplaceFraction == 0.4 && record.p2pMode == .replace)
        #expect(record.sourcePrompt == "" && record.negativePrompt == "")
        try record.validate()
    }

    @Test func relativePathsResolveAgainstTheRecordDirectory() throws {
        let base = URL(fileURLWithPath: "/data/sessions")
        let record = try EditRecord(
            toml: TOML.parse("model = \"../models/sd\"\n[method]\nname = \"masactrl\"\n[source]\nimage = \"img/cat.png\"\n[mask]\npath = \"/abs/m.png\""),
            baseDirectory: base)
        #expect(record.model?.path == "/data/models/sd")
        #expect(record.sourceImage?.path == "/data/sessions/img/cat.png")
        #expect(record.mask?.path == "/abs/m.png")
    }

    @Test(arguments: [
        ("[method]\nname = \"magic\"", "unknown method 'magic' in [method] name (allowed: masactrl, fpe, masafusion, mcactrl, p2p)"),
        ("[source]\nseed = 1", "missing [method] name: one of masactrl, fpe, masafusion, mcactrl, p2p"),
        ("[method]\nname = \"p2p\"\np2p_mode = \"swap\"", "unknown Prompt-to-Prompt mode 'swap' in [method] p2p_mode (allowed: replace, refine)"),
        ("[method]\nname = \"fpe\"\n[sampling]\nstepz = 3", "unknown key [sampling] stepz (known here: steps, guidance, width, height, latents_in)"),
        ("colour = 1\n[method]\nname = \"fpe\"", "unknown key colour (known here: attune_version, model, source, prompts, method, sampling, mask, adapter, subject, output)"),
        ("[method]\nname = \"fpe\"\n[sampling]\nsteps = \"fifty\"", "[sampling] steps: expected an integer, found a string"),
        ("sampling = 3\n[method]\nname = \"fpe\"", "[sampling]: expected a table, found an integer"),
        ("[method]\nname = \"fpe\"\n[source]\nseed = -4", "[source] seed: '-4' is not a whole number in 0...18446744073709551615"),
        ("[method]\nname = \"fpe\"\n[source]\nimage = \"\"", "missing [source] image: the path is empty"),
    ] as [(String, String)])
    func readingErrors(text: String, message: String) throws {
        do {
            _ = try EditRecord(toml: TOML.parse(text), baseDirectory: URL(fileURLWithPath: "/"))
            Issue.record("expected: \(message)")
        } catch {
            #expect(error.localizedDescription == message)
        }
    }

    @Test func fileErrorsNameTheFileAndTheLocation() throws {
        let directory = Fixtures.temporaryDirectory("record")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.toml")
        try Data("[method]\nname = masactrl\n".utf8).write(to: url)
        do {
            _ = try EditRecord(contentsOf: url)
            Issue.record("a record with a bare word value must not load")
        } catch {
            #expect(error.localizedDescription.hasPrefix("\(url.path): edit record is not valid TOML: 2:8: expected a value"))
        }
        let missing = directory.appendingPathComponent("absent.toml")
        #expect(throws: (any Error).self) { try EditRecord(contentsOf: missing) }
    }

    typealias Change = @Sendable (inout EditRecord) -> Void
    static let invalidChanges: [(Change, String)] = [
        ({ r in r.seed = nil }, "missing [source] image or seed: give a picture to edit, or a seed to generate one"),
        ({ r in r.targetPrompt = "  " }, "missing [prompts] target: the prompt that describes the edited picture"),
        ({ r in r.startStep = 51 }, "[method] start_step (S) = 51 is out of range (allowed: 0...50, the step count)"),
        ({ r in r.startLayer = 17 }, "[method] start_layer (L) = 17 is out of range (allowed: 0...16, the transformer blocks)"),
        ({ r in r.startLayer = -1 }, "[method] start_layer (L) = -1 is out of range (allowed: 0...16, the transformer blocks)"),
        ({ r in r.endStep = 2 }, "[method] end_step = 2 is out of range (allowed: S...steps = 4...50)"),
        ({ r in r.endLayer = 20 }, "[method] end_layer = 20 is out of range (allowed: L...16 = 10...16)"),
        ({ r in r.steps = 0 }, "[sampling] steps = 0 is out of range (allowed: 1...1000)"),
        ({ r in r.width = 500 }, "[sampling] width = 500 is out of range (allowed: multiples of 8 (the VAE downsamples by 8))"),
        ({ r in r.guidance = .nan }, "[sampling] guidance = nan is out of range (allowed: 0.0...100.0)"),
        ({ r in r.maskThreshold = 1.5 }, "[mask] threshold = 1.5 is out of range (allowed: 0.0...1.0)"),
        ({ r in r.maskToken = 77 }, "[mask] token = 77 is out of range (allowed: 0...76)"),
        ({ r in r.mcaSAGIStart = 3; r.mcaSAGIEnd = 2 }, "[method] sagi_end = 2 is out of range (allowed: 3...50)"),
        ({ r in r.condition = URL(fileURLWithPath: "/s.png") }, "missing [adapter] path: a condition picture needs T2I-Adapter weights"),
        ({ r in r.method = .mcactrl }, "missing [subject] image: MCA-Ctrl takes the subject from a picture"),
        ({ r in r.method = .masafusion }, "missing [mask] path (MaSaFusion's A): MaSaFusion fuses inside a mask: draw or import one"),
    ]

    @Test(arguments: invalidChanges)
    func validationErrors(change: Change, message: String) {
        var record = EditRecord(method: .masactrl, seed: 7, sourcePrompt: "a cat", targetPrompt: "a dog")
        change(&record)
        do {
            try record.validate()
            Issue.record("expected: \(message)")
        } catch {
            #expect(error.localizedDescription == message)
        }
    }

    @Test func boundaryValuesAreValid() throws {
        var record = EditRecord(method: .masactrl, seed: 7, targetPrompt: "a dog")
        record.startStep = record.steps
        record.startLayer = EditRecord.transformerBlockCount
        try record.validate()
        record.startStep = 0
        record.startLayer = 0
        try record.validate()
    }

    @Test func methodDefaultsFollowTheReferences() {
        var record = EditRecord(method: .p2p, seed: 1)
        record.applyDefaults(of: .p2p)
        #expect(record.crossReplaceFraction == 0.8 && record.selfReplaceFraction == 0.4 && record.startLayer == 10)
        record.applyDefaults(of: .mcactrl, keeping: [.crossReplaceFraction])
        #expect(record.startLayer == 0 && record.crossReplaceFraction == 0.8 && record.selfReplaceFraction == 0.8)
        record.sourceImage = URL(fileURLWithPath: "/scene.png")
        record.applyDefaults(of: .mcactrl)
        #expect(record.startLayer == 9 && record.crossReplaceFraction == 0.4)
    }

    @Test func nearbyPathsAreWrittenRelativeFarOnesAbsolute() {
        let base = URL(fileURLWithPath: "/home/me/attune/docs/gallery")
        #expect(EditRecord.relativePath(URL(fileURLWithPath: "/home/me/attune/Samples/a.png"), to: base) == "../../Samples/a.png")
        #expect(EditRecord.relativePath(URL(fileURLWithPath: "/home/me/attune/docs/gallery/b.png"), to: base) == "b.png")
        #expect(EditRecord.relativePath(URL(fileURLWithPath: "/tmp/c.png"), to: base) == "/tmp/c.png")
        #expect(EditRecord.relativePath(URL(fileURLWithPath: "/home/other/d.png"), to: base) == "/home/other/d.png")
    }
}
