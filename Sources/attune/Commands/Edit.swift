// `attune edit`: one attention-control edit, headless. Every workbench setting has an option; the run's
// settings are written as a TOML record that `attune edit --from record.toml` replays bit for bit.
import ArgumentParser
import AttuneEditing
import AttuneImage
import AttuneModels
import Foundation

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Edit a picture (or a generated one) by attention control: masactrl, fpe, masafusion, mcactrl, p2p.")

    @Option(help: "Replay an edit record (options given as well override it).") var from: String?
    @Option(help: "A Stable Diffusion 1.x checkpoint (default: the record's, else the embedded model).") var model: String?
    @Option(help: "masactrl | fpe | masafusion | mcactrl | p2p.") var method: String?
    @Option(help: "A method's form: mcactrl replace|add|generate, masafusion fusion|embctrl.") var variant: String?
    @Option(help: "Source picture (PNG) to invert and edit.") var source: String?
    @Option(help: "Seed of a generated source (instead of --source).") var seed: UInt64?
    @Option(help: "Prompt of the source (real pictures: \"\" as the methods' references).") var sourcePrompt: String?
    @Option(help: "Prompt of the edited picture.") var targetPrompt: String?
    @Option(help: "Negative prompt.") var negativePrompt: String?
    @Option(help: "DDIM steps (50).") var steps: Int?
    @Option(help: "Guidance scale (7.5).") var guidance: Double?
    @Option(help: "Width (the model's size: 512 for SD 1.x).") var width: Int?
    @Option(help: "Height (the model's size).") var height: Int?
    @Option(help: "S: first edited step (MasaCtrl 4; MCA-Ctrl's SALQ start 4).") var startStep: Int?
    @Option(help: "L: first edited transformer block, 0-15 (MasaCtrl 10, MCA-Ctrl 9).") var startLayer: Int?
    @Option(help: "Last edited block + 1 (16).") var endLayer: Int?
    @Option(help: "FPE / P2P self-attention replacement fraction (FPE 0.8, P2P 0.4).") var selfReplace: Double?
    @Option(help: "P2P cross-attention replacement fraction (0.8).") var crossReplace: Double?
    @Option(help: "P2P mode: replace (word swap) | refine.") var p2pMode: String?
    @Option(help: "MCA-Ctrl SAGI steps as start:end (default 0:⌊0.1 n⌋).") var sagi: String?
    @Option(help: "MaSaFusion: fuse the first N steps (all).") var fusionSteps: Int?
    @Option(help: "Mask PNG (white = inside): MasaCtrl's foreground, MCA-Ctrl's edit region, MaSaFusion's A.") var mask: String?
    @Option(help: "Token index in the target prompt whose cross-attention gives the mask.") var maskToken: Int?
    @Option(help: "Threshold of masks from cross-attention (0.1).") var maskThreshold: Double?
    @Option(help: "MCA-Ctrl: 3x3 dilations of the edit region (5).") var dilation: Int?
    @Flag(inversion: .prefixedNo, help: "Pin the source branch to its inversion trajectory (default on).") var pinSource: Bool?
    @Option(help: "T2I-Adapter weights (.safetensors file or diffusers folder).") var adapter: String?
    @Option(help: "The adapter's condition picture (a sketch, edges, ...).") var condition: String?
    @Option(help: "Adapter condition strength (1.0).") var conditionStrength: Double?
    @Option(help: "MCA-Ctrl subject picture.") var subject: String?
    @Option(help: "MCA-Ctrl subject prompt.") var subjectPrompt: String?
    @Option(help: "MCA-Ctrl subject mask PNG.") var subjectMask: String?
    @Option(help: "Start from x_T under \"latents\" in this safetensors file.") var latentsIn: String?
    @Option(name: .shortAndLong, help: "Output PNG.") var output: String?
    @Option(help: "Also write the source branch's picture (the reconstruction of a real source).") var saveSource: String?
    @Option(help: "Also export cross-attention heat maps (PNG per token) and tensors to this folder.") var saveMaps: String?
    @Option(help: "With --save-maps: also where this pixel (x,y of the picture) looks (self-attention).") var mapPixel: String?
    @Option(help: "With --save-maps: UNet level of the maps (0 = latent size; 2 = 16x16 at 512x512).") var mapLevel = 2
    @Option(help: "Where to write the edit record (default: the output with .toml).") var record: String?

    func run() throws {
        Interrupt.install()
        var r = try makeRecord()
        try r.validate()
        guard let outputURL = r.output else { throw ValidationError("give --output PATH (or an [output] path in the record)") }
        try checkOutputFolder(outputURL.path)
        try checkOutputFolder(saveSource)
        let sd = try ModelOptions.load(path: r.model?.path)
        if from == nil {
            // A new record's size is the model's own unless given.
            if width == nil { r.width = sd.imageSize }
            if height == nil { r.height = sd.imageSize }
        }
        let session = EditSession(model: sd)
        let level = mapLevel
        let recorder = saveMaps == nil ? nil : AttentionMapRecorder { site, _, _, _ in site.kind == .crossAttention && site.level == level }
        let pixel = try mapPixel.map { text -> (x: Int, y: Int) in
            let parts = text.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 0, parts[0] < r.width, parts[1] >= 0, parts[1] < r.height else {
                throw ValidationError("--map-pixel takes x,y inside the \(r.width)x\(r.height) picture")
            }
            return (parts[0], parts[1])
        }
        let selfRecorder = pixel.map {
            AttentionMapExport.selfAttentionRecorder(pixel: $0, width: r.width, height: r.height, latentScale: sd.latentScale, level: level)
        }
        let observers = [recorder, selfRecorder].compactMap { $0 }
        let inverting = ProgressBar("invert"), editing = ProgressBar(r.method.rawValue)
        let outcome = try session.run(r, observer: observers.isEmpty ? nil : ProcessorChain(observers)) { p in
            try (p.phase == .inversion ? inverting : editing).update(p.step)
        }
        try PNGFile.write(outcome.target, to: outputURL)
        note("wrote \(outputURL.path)")
        if let saveSource {
            try PNGFile.write(outcome.source, to: URL(fileURLWithPath: saveSource))
            note("wrote \(saveSource)")
        }
        if let saveMaps, let maps = recorder {
            let written = try AttentionMapExport.write(maps, prompt: r.targetPrompt, item: outcome.targetItem, picture: outcome.target,
                                                       tokenizer: sd.tokenizer, to: URL(fileURLWithPath: saveMaps))
            note("wrote \(written) attention maps to \(saveMaps)")
            if let selfRecorder, let pixel,
               try AttentionMapExport.writeSelfAttention(selfRecorder, item: outcome.targetItem, pixel: pixel, picture: outcome.target,
                                                         to: URL(fileURLWithPath: saveMaps)) {
                note("wrote where pixel \(pixel.x),\(pixel.y) looks (self-attention) to \(saveMaps)")
            }
        }
        r.attuneVersion = AttuneVersion.current
        let recordURL = URL(fileURLWithPath: record ?? outputURL.deletingPathExtension().path + ".toml")
        if let from, URL(fileURLWithPath: from).standardizedFileURL == recordURL.standardizedFileURL, record == nil {
            // Replaying a record whose output sits beside it: the record is what was replayed; leave it as it was.
            note("replayed \(from) (left as it was)")
        } else {
            try r.write(to: recordURL)
            note("wrote \(recordURL.path) (replay with: attune edit --from \(recordURL.path))")
        }
        note(String(format: "source %@ %.1f s, edit %.1f s", outcome.sourceReused ? "reused" : "prepared in", outcome.sourceSeconds, outcome.editSeconds))
    }

    /// The record: the --from file (or defaults), each given option on top, then the chosen method's defaults
    /// for what neither set.
    func makeRecord() throws -> EditRecord {
        var r: EditRecord
        var explicit = Set<EditRecord.MethodSetting>()
        if let from {
            r = try EditRecord(contentsOf: URL(fileURLWithPath: from))
            explicit = [.startLayer, .selfReplaceFraction, .crossReplaceFraction]
        } else {
            guard let method else { throw ValidationError("give --method (masactrl, fpe, masafusion, mcactrl, p2p) or --from RECORD") }
            guard let m = EditMethod(rawValue: method) else {
                throw ValidationError("unknown method '\(method)' (allowed: \(EditMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            r = EditRecord(method: m)
        }
        func url(_ path: String?) -> URL? { path.map { URL(fileURLWithPath: $0) } }
        if let method, let m = EditMethod(rawValue: method) { r.method = m }
        if let model { r.model = url(model) }
        if let variant { r.variant = variant }
        if let source { r.sourceImage = url(source); r.seed = nil }
        if let seed { r.seed = seed; if source == nil { r.sourceImage = nil } }
        if let sourcePrompt { r.sourcePrompt = sourcePrompt }
        if let targetPrompt { r.targetPrompt = targetPrompt }
        if let negativePrompt { r.negativePrompt = negativePrompt }
        if let steps { r.steps = steps }
        if let guidance { r.guidance = guidance }
        if let width { r.width = width }
        if let height { r.height = height }
        if let startStep { r.startStep = startStep }
        if let startLayer { r.startLayer = startLayer; explicit.insert(.startLayer) }
        if let endLayer { r.endLayer = endLayer }
        if let selfReplace { r.selfReplaceFraction = selfReplace; explicit.insert(.selfReplaceFraction) }
        if let crossReplace { r.crossReplaceFraction = crossReplace; explicit.insert(.crossReplaceFraction) }
        if let p2pMode {
            guard let mode = P2PMode(rawValue: p2pMode) else { throw ValidationError("--p2p-mode must be replace or refine") }
            r.p2pMode = mode
        }
        if let sagi {
            let parts = sagi.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { throw ValidationError("--sagi takes start:end, e.g. 0:5") }
            r.mcaSAGIStart = parts[0]
            r.mcaSAGIEnd = parts[1]
        }
        if let fusionSteps { r.fusionSteps = fusionSteps }
        if let mask { r.mask = url(mask) }
        if let maskToken { r.maskToken = maskToken }
        if let maskThreshold { r.maskThreshold = maskThreshold }
        if let dilation { r.maskDilation = dilation }
        if let pinSource { r.pinSource = pinSource }
        if let adapter { r.adapter = url(adapter) }
        if let condition { r.condition = url(condition) }
        if let conditionStrength { r.conditionStrength = conditionStrength }
        if let subject { r.subjectImage = url(subject) }
        if let subjectPrompt { r.subjectPrompt = subjectPrompt }
        if let subjectMask { r.subjectMask = url(subjectMask) }
        if let latentsIn { r.latentsIn = url(latentsIn) }
        if let output { r.output = url(output) }
        if r.sourceImage == nil && r.seed == nil { r.seed = 0 }
        r.applyDefaults(of: r.method, keeping: explicit)
        return r
    }
}

enum AttuneVersion {
    static let current = "0.1.0"
}
