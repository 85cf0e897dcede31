// The real engine on the tiny fixture model: it names the model it loads, posts progress, a latent preview and
// every resolution's attention maps per step, reuses the prepared source and the fixed branches when only
// the target changes, and the maps it posts drive the inspector's heat maps and the mask seeded from a token.
@testable import AttuneTUI
import AttuneEditing
import AttuneModels
import AttuneTestSupport
import Foundation
import Synchronization
import Testing

@Suite(.serialized) struct EditingEngineTests {
    /// One engine for the suite: loading the tiny model once keeps the tests quick.
    static let engine = EditingEngine(defaultModel: nil) { _ in TinyModel.diffusers }

    static func record(target: String = "a photo of a dog") -> EditRecord {
        var record = EditRecord(method: .masactrl, sourceImage: Fixtures.url("images/rgb8.png"), sourcePrompt: "a photo of a cat", targetPrompt: target)
        record.model = TinyModel.diffusersFolder
        (record.width, record.height, record.steps, record.startStep) = (64, 64, 4, 1)
        return record
    }

    private func events(_ record: EditRecord) async throws -> [EngineEvent] {
        let seen = Mutex<[EngineEvent]>([])
        try await Self.engine.run(record) { event in seen.withLock { $0.append(event) } }
        return seen.withLock { $0 }
    }

    @Test func aRunNamesItsModelAndPostsProgressPreviewsMapsAndTheResult() async throws {
        let first = try await events(Self.record())
        let stages = first.compactMap { if case .stage(let text) = $0 { text } else { nil } }
        #expect(stages.first?.hasPrefix("loading model ") == true && stages.first?.hasSuffix("tiny-sd/diffusers") == true, "\(stages)")
        #expect(stages.contains { $0.hasPrefix("inverting source") })
        let progress = first.compactMap { if case .progress(let step, let total, _) = $0 { [step, total] } else { nil } }
        #expect(progress == (1...4).map { [$0, 4] })
        #expect(first.filter { if case .preview = $0 { true } else { false } }.count == 4)
        guard case .finished(let result)? = first.last else {
            Issue.record("the last event is the result: \(String(describing: first.last))")
            return
        }
        #expect(result.width == 64 && result.height == 64)

        // Cross- and self-attention of both branches at every attention resolution of the tiny UNet (8², 4², 2², and
        // 1² in the middle block).
        let maps = first.compactMap { if case .attentionMap(let map) = $0 { map } else { nil } }
        for kind in AttentionKind.allCases {
            for branch in AttentionBranch.allCases {
                let found = Set(maps.filter { $0.kind == kind && $0.branch == branch }.map { "\($0.step)@\($0.resolution)" })
                #expect(found == Set((0..<4).flatMap { step in [8, 4, 2, 1].map { "\(step)@\($0)" } }), "\(kind) \(branch)")
            }
        }
        // Softmax rows averaged over heads and layers still sum to 1 (tolerance 1e-4 for float sums of 77 terms).
        for map in maps {
            let rowSum = map.row(0).reduce(0, +)
            #expect(abs(rowSum - 1) < 1e-4, "\(map.kind) \(map.resolution)² step \(map.step): row sums to \(rowSum)")
        }

        // Only the target changed: the source is not inverted again and the model is not reloaded.
        let second = try await events(Self.record(target: "a photo of a fox"))
        let again = second.compactMap { if case .stage(let text) = $0 { text } else { nil } }
        #expect(again.isEmpty, "no loading or inversion the second time: \(again)")
        #expect(second.contains { if case .summary(let text) = $0 { text.contains("source reused") } else { false } })
    }

    /// With a TAESD decoder the previews are pictures of the image's size (8x the latent), not latent-sized maps.
    @Test func aTAESDDecoderDrawsThePreviews() async throws {
        let engine = EditingEngine(defaultModel: nil, previewDecoder: Fixtures.url("taesd/decoder.safetensors")) { _ in TinyModel.diffusers }
        let seen = Mutex<[EngineEvent]>([])
        try await engine.run(Self.record()) { event in seen.withLock { $0.append(event) } }
        let previews = seen.withLock { $0 }.compactMap { if case .preview(let p) = $0 { p } else { nil } }
        #expect(previews.count == 4 && previews.allSatisfy { $0.width == 64 && $0.height == 64 })
        let linear = try await events(Self.record()).compactMap { if case .preview(let p) = $0 { p } else { nil } }
        #expect(linear.first?.width == 8)
    }

    @Test func recordsWithoutAModelAskForOne() async throws {
        var record = Self.record()
        record.model = nil
        await #expect(throws: EditingEngineError.noModel) { try await EditingEngine(defaultModel: nil) { _ in TinyModel.diffusers }.run(record) { _ in } }
    }

    @Test func modelNamesAreShownAsTyped() {
        let model = URL(fileURLWithPath: "/work/attune/Tests/Fixtures/tiny-sd/diffusers")
        #expect(EditingEngine.displayName(model, workingDirectory: "/work/attune") == "Tests/Fixtures/tiny-sd/diffusers")
        #expect(EditingEngine.displayName(model, workingDirectory: "/elsewhere") == "/work/attune/Tests/Fixtures/tiny-sd/diffusers")
    }

    @Test func theInspectorAndTheMaskUseTheMapsARunPosted() async throws {
        var script = KeyScript(state: KeyScript.runnable())
        script.context.tokenize = { ["<start>"] + $0.split(separator: " ").map { "\($0)</w>" } }
        for event in try await events(Self.record()) { script.dispatch(.engine(runID: 0, event)) }
        #expect(script.state.job.status == .finished)

        // The inspector offers the resolutions the maps have (16², the default, is not among them), and shows
        // token 5 ("dog") of the target at 4².
        script.press("2", "j", "right", "right", "right", "right", "right", "5")
        #expect(script.state.prompts.token == TokenSelection(field: .target, index: 5))
        #expect(script.panelText(.inspector).contains("no 16² maps in this run; it has 1², 2², 4², 8² (+/- picks)"), "\(script.panelText(.inspector))")
        script.press("-")
        #expect(script.state.inspector.resolution == 8)
        script.press("-")
        #expect(script.state.inspector.resolution == 4)
        let maps = script.state.inspector.maps.filter { $0.kind == .cross && $0.branch == .target && $0.resolution == 4 }
        #expect(maps.count == 4)
        let mean = (0..<16).map { i in maps.map { $0.column(5)[i] }.reduce(0, +) / 4 }
        let field = try #require(script.state.inspector.crossAttention(token: 5, branch: .target))
        #expect(field.side == 4 && zip(field.values, mean).allSatisfy { abs($0 - $1) < 1e-6 })
        script.press(".", ".")
        #expect(script.state.inspector.step == 1)
        #expect(script.state.inspector.crossAttention(token: 5, branch: .target)?.values == maps.first { $0.step == 1 }?.column(5))

        // Self-attention of a pixel: one row of the 4² self map, over the 16 pixels.
        script.press("a")
        let selfMap = try #require(script.state.inspector.maps.first { $0.kind == .self && $0.branch == .target && $0.resolution == 4 && $0.step == 1 })
        #expect(script.state.inspector.selfAttention()?.values == selfMap.row(2 * 4 + 2))

        // The mask seeded from the token thresholds the same field.
        script.press("a", "6", "t")
        let grid = script.state.mask.grid
        let expected = MaskGrid(field: try #require(maps.first { $0.step == 1 }).column(5), fieldWidth: 4, fieldHeight: 4,
                                threshold: script.state.settings.maskThreshold, width: grid.width, height: grid.height)
        #expect(script.state.mask.grid == expected && script.state.settings.maskToken == 5)
    }
}
