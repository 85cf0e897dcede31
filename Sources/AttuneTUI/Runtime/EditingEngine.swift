// The workbench's real engine: Attune's Stable Diffusion and editing session behind the WorkbenchEngine
// protocol. The model loads on the first run (and again when a record names another); one EditSession is kept
// so that its inversions and live-tuning cache serve every re-edit of the same source. Each step posts
// progress, a latent preview and the step's attention maps; cancellation is checked between UNet calls.
import AttuneEditing
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

public enum EditingEngineError: Error, LocalizedError, Equatable {
    case noModel
    public var errorDescription: String? {
        "no model: start the workbench with --model PATH (a .safetensors checkpoint or a diffusers folder), or set model in config.toml"
    }
}

public final class EditingEngine: WorkbenchEngine, @unchecked Sendable {
    /// Loads a checkpoint file or diffusers folder.
    public typealias ModelLoader = @Sendable (URL) throws -> StableDiffusion

    private let load: ModelLoader
    /// The checkpoint of records that name none (the embedded model, when the checkout has it).
    private let defaultModel: URL?
    /// A TAESD decoder for previews (else the model's linear latent-to-RGB map), loaded on first use.
    private let previewDecoderURL: URL?
    private var previewDecoder: TinyAutoencoderDecoder?
    private let lock = NSLock()
    private var session: EditSession?
    private var loadedModel: URL?
    /// Self-attention maps are stored whole (N x N): only for feature maps up to this side.
    static let largestSelfAttentionSide = 16

    public init(defaultModel: URL?, previewDecoder: URL? = nil, load: @escaping ModelLoader) {
        self.defaultModel = defaultModel
        previewDecoderURL = previewDecoder
        self.load = load
    }

    public func run(_ record: EditRecord, events: @escaping @Sendable (EngineEvent) -> Void) async throws {
        // DiffusionActor runs one edit at a time; the lock also keeps direct callers (tests) apart.
        try lock.withLock { try runLocked(record, events: events) }
    }

    private func runLocked(_ record: EditRecord, events: @escaping @Sendable (EngineEvent) -> Void) throws {
        guard let model = record.model ?? defaultModel else { throw EditingEngineError.noModel }
        if session == nil || loadedModel != model {
            events(.stage("loading model \(Self.displayName(model))"))
            session = nil  // the old model's memory goes before the new one loads
            session = EditSession(model: try load(model))
            loadedModel = model
        }
        guard let session else { return }
        if let url = previewDecoderURL, previewDecoder == nil {
            events(.stage("loading preview decoder \(url.lastPathComponent)"))
            previewDecoder = try TinyAutoencoderDecoder.load(url)
        }
        let decoder = previewDecoder
        let recorder = AttentionMapRecorder { site, _, height, width in
            site.kind == .crossAttention || max(height, width) <= Self.largestSelfAttentionSide
        }
        var average = 0.0
        let outcome = try session.run(record, observer: recorder) { p in
            try Task.checkCancellation()
            let step = p.step
            guard let layout = p.layout else {
                events(.stage("inverting source \(step.step + 1)/\(step.count)"))
                return
            }
            average = step.step == 0 ? step.secondsForStep : (average * Double(step.step) + step.secondsForStep) / Double(step.step + 1)
            events(.progress(step: step.step + 1, total: step.count, secondsPerStep: average))
            let latent = slice(step.predictedOriginal ?? step.latent, axis: 0, start: layout.targetBranch, length: 1)
            if let decoder {
                events(.preview(Picture(Image(modelTensor: map(decoder(latent)) { $0 * 2 - 1 }))))
            } else {
                let rgb = session.model.preview.rgb(latent)
                events(.preview(Picture(width: rgb.width, height: rgb.height, pixels: rgb.pixels)))
            }
            for map in Self.maps(recorder, step: step.step, layout: layout) { events(.attentionMap(map)) }
            recorder.removeSteps(before: step.step + 1)
        }
        events(.summary(Self.summary(outcome)))
        events(.finished(Picture(outcome.target)))
    }

    /// "source reused · 3 of 4 steps from the cache · edit 0.4 s": how much of the run the live-tuning caches saved.
    static func summary(_ outcome: EditOutcome) -> String {
        var parts = [outcome.sourceReused ? "source reused" : String(format: "source prepared in %.1f s", outcome.sourceSeconds)]
        if outcome.stepsFromCache > 0 { parts.append("\(outcome.stepsFromCache) of \(outcome.record.steps) steps from the cache") }
        parts.append(String(format: "edit %.1f s", outcome.editSeconds))
        return parts.joined(separator: " · ")
    }

    /// A model's path as the user would type it: relative to the working directory when inside it.
    public static func displayName(_ model: URL, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let path = model.standardizedFileURL.path
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// The step's maps per kind and square resolution, averaged over the layers of that resolution, for the
    /// conditional source and target rows.
    static func maps(_ recorder: AttentionMapRecorder, step: Int, layout: EditLayout) -> [AttentionMap] {
        var groups: [String: [AttentionMapRecorder.Record]] = [:]
        for r in recorder.records where r.step.index == step && r.height == r.width {
            groups["\(r.site.kind.rawValue) \(r.height)", default: []].append(r)
        }
        var out: [AttentionMap] = []
        for records in groups.values {
            guard let first = records.first else { continue }
            let n = first.height * first.width, keys = first.probabilities.dim(2)
            for (branch, item) in [(AttentionBranch.source, layout.sourceItem), (.target, layout.targetItem)] {
                var sum = [Float](repeating: 0, count: n * keys)
                for r in records {
                    let p = r.probabilities.floats.baseAddress! + item * n * keys
                    for i in 0..<(n * keys) { sum[i] += p[i] }
                }
                let scale = 1 / Float(records.count)
                out.append(AttentionMap(kind: first.site.kind == .crossAttention ? .cross : .self, branch: branch, step: step,
                                        resolution: first.height, keyCount: keys, values: sum.map { $0 * scale }))
            }
        }
        return out
    }
}

extension Picture {
    /// An 8-bit picture of an engine image (planar float RGB or gray in [0, 1]).
    public init(_ image: Image) {
        let n = image.width * image.height
        var bytes = [UInt8](repeating: 0, count: n * 3)
        for p in 0..<n {
            for c in 0..<3 {
                let v = image.pixels[(image.channels == 3 ? c : 0) * n + p]
                bytes[p * 3 + c] = UInt8(max(0, min(255, (v * 255).rounded())))
            }
        }
        self.init(width: image.width, height: image.height, pixels: bytes)
    }

    /// The engine image of this picture (planar RGB in [0, 1]).
    public var image: Image {
        let n = width * height
        var planar = [Float](repeating: 0, count: n * 3)
        for p in 0..<n { for c in 0..<3 { planar[c * n + p] = Float(pixels[p * 3 + c]) / 255 } }
        return Image(width: width, height: height, channels: 3, pixels: planar)
    }
}

extension PictureIO {
    /// PNG reading and writing through AttuneImage.
    public static let png = PictureIO(
        load: { url in Picture(try PNGFile.read(url).image) },
        save: { picture, url in try PNGFile.write(picture.image, to: url) })
}
