// `attune generate / invert / reconstruct` end to end on the tiny fixture model, through the real executable.
import AttuneImage
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite(.serialized) struct HeadlessCommandTests {
    let model = Fixtures.url("tiny-sd/diffusers").path
    let dir = Fixtures.temporaryDirectory("attune-cli")

    @Test func generateIsReproducibleFromSavedLatents() throws {
        let a = dir.appendingPathComponent("a.png"), b = dir.appendingPathComponent("b.png")
        let latents = dir.appendingPathComponent("a.safetensors")
        let r1 = try AttuneProcess.run(["generate", "--model", model, "--prompt", "a cat sitting on a wooden table", "--steps", "4",
                                        "--width", "64", "--height", "64", "--seed", "5", "-o", a.path, "--save-latents", latents.path])
        #expect(r1.status == 0, "\(r1.stderr)")
        #expect(r1.stderr.contains("4/4"))
        let image = try PNGFile.read(a).image
        #expect(image.width == 64 && image.height == 64)
        let saved = try SafeTensorsFile(url: latents)
        #expect(saved.info("latents")?.shape == [1, 4, 8, 8])
        #expect(saved.info("trajectory")?.shape == [5, 1, 4, 8, 8])
        // Without --width/--height the size is the model's own: the tiny model's unet sample_size 8 x 8 = 64.
        let r2 = try AttuneProcess.run(["generate", "--model", model, "--prompt", "a cat sitting on a wooden table", "--steps", "4",
                                        "--latents-in", latents.path, "-o", b.path])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func badInputsGiveClearErrorsAndNoOutput() throws {
        let out = dir.appendingPathComponent("never.png")
        let latents = dir.appendingPathComponent("small.safetensors")
        try SafeTensorsWriter.write(["latents": Tensor(zeros: [1, 4, 4, 4])], to: latents)
        let wrongShape = try AttuneProcess.run(["generate", "--model", model, "--prompt", "x", "--steps", "2", "--width", "64",
                                                "--height", "64", "--latents-in", latents.path, "-o", out.path])
        #expect(wrongShape.status != 0)
        #expect(wrongShape.stderr.contains("[1, 4, 4, 4]") && wrongShape.stderr.contains("[1, 4, 8, 8]"), "\(wrongShape.stderr)")
        let noModel = try AttuneProcess.run(["generate", "--model", dir.appendingPathComponent("none").path, "--prompt", "x", "-o", out.path])
        #expect(noModel.status != 0 && noModel.stderr.contains("No model at"), "\(noModel.stderr)")
        let badSize = try AttuneProcess.run(["generate", "--model", model, "--prompt", "x", "--width", "60", "-o", out.path])
        #expect(badSize.status != 0 && badSize.stderr.contains("--width must be a positive multiple of 8 (got 60)"), "\(badSize.stderr)")
        let tooMany = try AttuneProcess.run(["generate", "--model", model, "--prompt", "x", "--steps", "1000", "-o", out.path])
        #expect(tooMany.status != 0 && tooMany.stderr.contains("1...999"), "\(tooMany.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func longPromptsAreTruncatedWithAWarning() throws {
        let long = Array(repeating: "a tall lighthouse", count: 40).joined(separator: " ")
        let r = try AttuneProcess.run(["generate", "--model", model, "--prompt", long, "--steps", "1", "--width", "64", "--height", "64",
                                       "-o", dir.appendingPathComponent("long.png").path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("prompt truncated"), "\(r.stderr)")
    }

    @Test func interruptStopsCleanlyWithoutAPartialFile() throws {
        let out = dir.appendingPathComponent("interrupted.png")
        let r = try AttuneProcess.run(["generate", "--model", model, "--prompt", "x", "--steps", "900", "--width", "64",
                                       "--height", "64", "-o", out.path], interruptAfter: 2)
        #expect(r.status != 0)
        #expect(r.stderr.contains("interrupted"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func invertAndReconstruct() throws {
        let image = Fixtures.url("images/rgb8.png").path
        let inverted = dir.appendingPathComponent("inv.safetensors")
        let r = try AttuneProcess.run(["invert", "--model", model, "--image", image, "--steps", "5", "--width", "64", "--height", "64", "-o", inverted.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("resized 5x4"))
        #expect(try SafeTensorsFile(url: inverted).info("trajectory")?.shape == [6, 1, 4, 8, 8])
        let rec = try AttuneProcess.run(["reconstruct", "--model", model, "--image", image, "--steps", "5", "--width", "64", "--height", "64"])
        #expect(rec.status == 0, "\(rec.stderr)")
        #expect(rec.stdout.contains("PSNR reconstruction vs input"))
    }

    @Test func editWritesMapsAndARecordThatReplaysBitForBit() throws {
        let out = dir.appendingPathComponent("edit.png"), maps = dir.appendingPathComponent("maps")
        let r = try AttuneProcess.run(["edit", "--model", model, "--method", "p2p", "--seed", "4", "--source-prompt", "a cat sitting on a wooden table",
                                       "--target-prompt", "a dog sitting on a wooden table", "--steps", "4", "--width", "64", "--height", "64",
                                       "-o", out.path, "--save-source", dir.appendingPathComponent("source.png").path,
                                       "--save-maps", maps.path, "--map-pixel", "10,20", "--map-level", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: maps.path)
        #expect(files.contains("02-dog.png") && files.contains("self-10-20.png") && files.contains("maps.safetensors"), "\(files)")
        #expect(try SafeTensorsFile(url: maps.appendingPathComponent("maps.safetensors")).info("maps")?.shape == [7, 4, 4])
        let record = dir.appendingPathComponent("edit.toml")
        let replay = dir.appendingPathComponent("replay.png")
        let again = try AttuneProcess.run(["edit", "--from", record.path, "-o", replay.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: out) == Data(contentsOf: replay))
        // Replaying onto the record's own output leaves the record as it was.
        let before = try Data(contentsOf: record)
        let inPlace = try AttuneProcess.run(["edit", "--from", record.path, "-o", out.path])
        #expect(inPlace.status == 0 && inPlace.stderr.contains("left as it was"), "\(inPlace.stderr)")
        #expect(try Data(contentsOf: record) == before)
    }

    @Test func editRefusesBadSettingsBeforeWorking() throws {
        let missingFolder = try AttuneProcess.run(["edit", "--model", model, "--method", "masactrl", "--seed", "1", "--target-prompt", "a dog",
                                                   "-o", dir.appendingPathComponent("no/such/folder/x.png").path])
        #expect(missingFolder.status != 0 && missingFolder.stderr.contains("does not exist"), "\(missingFolder.stderr)")
        let badMethod = try AttuneProcess.run(["edit", "--model", model, "--method", "magic", "--target-prompt", "x", "-o", "/tmp/x.png"])
        #expect(badMethod.status != 0 && badMethod.stderr.contains("masactrl, fpe, masafusion, mcactrl, p2p"), "\(badMethod.stderr)")
        let badS = try AttuneProcess.run(["edit", "--model", model, "--method", "masactrl", "--seed", "1", "--target-prompt", "a dog",
                                          "--steps", "5", "--start-step", "9", "-o", dir.appendingPathComponent("s.png").path])
        #expect(badS.status != 0 && badS.stderr.contains("start_step"), "\(badS.stderr)")
        let swap = try AttuneProcess.run(["edit", "--model", model, "--method", "p2p", "--seed", "1", "--source-prompt", "a cat",
                                          "--target-prompt", "a red cat", "--steps", "2", "--width", "64", "--height", "64",
                                          "-o", dir.appendingPathComponent("p.png").path])
        #expect(swap.status != 0 && swap.stderr.contains("same number of words"), "\(swap.stderr)")
    }
}
