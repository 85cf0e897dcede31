// Reading and writing an edit record as TOML, grouped in tables:
// [source] [prompts] [method] [sampling] [mask] [adapter] [subject] [output].
// Paths near the record's directory are written relative to it, so a record and its files move together.
import AttuneTOML
import Foundation

extension EditRecord {
    private static let knownKeys: [String: [String]] = [
        "": ["attune_version", "model", "source", "prompts", "method", "sampling", "mask", "adapter", "subject", "output"],
        "source": ["image", "seed"],
        "prompts": ["source", "target", "negative"],
        "method": [
            "name", "start_step", "start_layer", "end_step", "end_layer", "self_replace_fraction",
            "cross_replace_fraction", "p2p_mode", "sagi_start", "sagi_end", "salq_start", "salq_end", "variant", "fusion_steps",
        ],
        "sampling": ["steps", "guidance", "width", "height", "latents_in"],
        "mask": ["path", "target", "token", "threshold", "pin_source", "dilation"],
        "adapter": ["path", "condition", "strength"],
        "subject": ["image", "prompt", "mask"],
        "output": ["path"],
    ]

    /// Reads a record file. Checks keys, types and names; ranges and required settings are `validate()`'s job,
    /// so that an unfinished workbench session still loads.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EditRecordError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        do {
            try self.init(toml: try TOML.parse(text), baseDirectory: url.deletingLastPathComponent())
        } catch let error as TOMLError {
            throw EditRecordError.inFile(url.path, .syntax(error))
        } catch let error as EditRecordError {
            throw EditRecordError.inFile(url.path, error)
        }
    }

    public init(toml root: TOMLTable, baseDirectory: URL) throws {
        func section(_ name: String) throws -> RecordSection {
            try RecordSection(name, in: root, baseDirectory: baseDirectory, known: Self.knownKeys[name] ?? [])
        }
        let top = try section("")
        let method = try section("method")
        guard let methodName = try method.string("name") else {
            throw EditRecordError.missing(key: "[method] name", reason: "one of \(EditMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let editMethod = EditMethod(rawValue: methodName) else { throw EditRecordError.unknownMethod(methodName) }
        self.init(method: editMethod)

        attuneVersion = try top.string("attune_version")
        model = try top.path("model")

        let source = try section("source")
        sourceImage = try source.path("image")
        seed = try Self.readSeed(source.table["seed"])

        let prompts = try section("prompts")
        sourcePrompt = try prompts.string("source") ?? ""
        targetPrompt = try prompts.string("target") ?? ""
        negativePrompt = try prompts.string("negative") ?? ""

        startStep = try method.integer("start_step") ?? startStep
        startLayer = try method.integer("start_layer") ?? startLayer
        endStep = try method.integer("end_step")
        endLayer = try method.integer("end_layer")
        selfReplaceFraction = try method.double("self_replace_fraction") ?? selfReplaceFraction
        crossReplaceFraction = try method.double("cross_replace_fraction") ?? crossReplaceFraction
        if let mode = try method.string("p2p_mode") {
            guard let parsed = P2PMode(rawValue: mode) else { throw EditRecordError.unknownP2PMode(mode) }
            p2pMode = parsed
        }
        mcaSAGIStart = try method.integer("sagi_start")
        mcaSAGIEnd = try method.integer("sagi_end")
        mcaSALQStart = try method.integer("salq_start")
        mcaSALQEnd = try method.integer("salq_end")
        variant = try method.string("variant")
        fusionSteps = try method.integer("fusion_steps")

        let sampling = try section("sampling")
        steps = try sampling.integer("steps") ?? steps
        guidance = try sampling.double("guidance") ?? guidance
        width = try sampling.integer("width") ?? width
        height = try sampling.integer("height") ?? height
        latentsIn = try sampling.path("latents_in")

        let maskSection = try section("mask")
        mask = try maskSection.path("path")
        targetMask = try maskSection.path("target")
        maskToken = try maskSection.integer("token")
        maskThreshold = try maskSection.double("threshold") ?? maskThreshold
        pinSource = try maskSection.bool("pin_source") ?? pinSource
        maskDilation = try maskSection.integer("dilation") ?? maskDilation

        let adapterSection = try section("adapter")
        adapter = try adapterSection.path("path")
        condition = try adapterSection.path("condition")
        conditionStrength = try adapterSection.double("strength") ?? conditionStrength

        let subject = try section("subject")
        subjectImage = try subject.path("image")
        subjectPrompt = try subject.string("prompt")
        subjectMask = try subject.path("mask")

        output = try section("output").path("path")
    }

    /// Seeds are UInt64; TOML integers are signed, so seeds above Int64.max are written as strings.
    private static func readSeed(_ value: TOMLValue?) throws -> UInt64? {
        switch value {
        case nil: return nil
        case .integer(let integer):
            guard integer >= 0 else { throw EditRecordError.invalidSeed(String(integer)) }
            return UInt64(integer)
        case .string(let text):
            guard let seed = UInt64(text) else { throw EditRecordError.invalidSeed(text) }
            return seed
        case .some(let other):
            throw EditRecordError.wrongType(key: "[source] seed", expected: "an integer", found: other.typeWithArticle)
        }
    }

    /// The record as TOML, paths under `baseDirectory` written relative to it.
    public func toml(baseDirectory: URL) -> TOMLTable {
        func path(_ url: URL?) -> TOMLValue? { url.map { .string(Self.relativePath($0, to: baseDirectory)) } }
        func int(_ value: Int?) -> TOMLValue? { value.map { .integer(Int64($0)) } }

        var root = TOMLTable()
        root["attune_version"] = attuneVersion.map { .string($0) }
        root["model"] = path(model)

        var source = TOMLTable()
        source["image"] = path(sourceImage)
        source["seed"] = seed.map { $0 <= UInt64(Int64.max) ? .integer(Int64($0)) : .string(String($0)) }
        root["source"] = .table(source)

        root["prompts"] = ["source": .string(sourcePrompt), "target": .string(targetPrompt), "negative": .string(negativePrompt)]

        var methodTable: TOMLTable = ["name": .string(method.rawValue)]
        methodTable["start_step"] = int(startStep)
        methodTable["start_layer"] = int(startLayer)
        methodTable["end_step"] = int(endStep)
        methodTable["end_layer"] = int(endLayer)
        methodTable["self_replace_fraction"] = .float(selfReplaceFraction)
        methodTable["cross_replace_fraction"] = .float(crossReplaceFraction)
        methodTable["p2p_mode"] = .string(p2pMode.rawValue)
        methodTable["sagi_start"] = int(mcaSAGIStart)
        methodTable["sagi_end"] = int(mcaSAGIEnd)
        methodTable["salq_start"] = int(mcaSALQStart)
        methodTable["salq_end"] = int(mcaSALQEnd)
        methodTable["variant"] = variant.map { .string($0) }
        methodTable["fusion_steps"] = int(fusionSteps)
        root["method"] = .table(methodTable)

        var sampling: TOMLTable = [
            "steps": .integer(Int64(steps)), "guidance": .float(guidance),
            "width": .integer(Int64(width)), "height": .integer(Int64(height)),
        ]
        sampling["latents_in"] = path(latentsIn)
        root["sampling"] = .table(sampling)

        var maskTable = TOMLTable()
        maskTable["path"] = path(mask)
        maskTable["target"] = path(targetMask)
        maskTable["token"] = int(maskToken)
        maskTable["threshold"] = .float(maskThreshold)
        maskTable["pin_source"] = .boolean(pinSource)
        maskTable["dilation"] = int(maskDilation)
        root["mask"] = .table(maskTable)

        var adapterTable = TOMLTable()
        adapterTable["path"] = path(adapter)
        adapterTable["condition"] = path(condition)
        adapterTable["strength"] = .float(conditionStrength)
        root["adapter"] = .table(adapterTable)

        if subjectImage != nil || subjectPrompt != nil || subjectMask != nil {
            var subject = TOMLTable()
            subject["image"] = path(subjectImage)
            subject["prompt"] = subjectPrompt.map { .string($0) }
            subject["mask"] = path(subjectMask)
            root["subject"] = .table(subject)
        }
        if let output { root["output"] = ["path": .string(Self.relativePath(output, to: baseDirectory))] }
        return root
    }

    /// Writes the record atomically (a temporary file in the same directory, then a rename).
    public func write(to url: URL) throws {
        let text = TOML.serialize(toml(baseDirectory: url.deletingLastPathComponent()))
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// `url` relative to `base` when they share a folder below the filesystem's top level and at most three
    /// levels up ("../../Samples/x.png" from docs/gallery/ in a checkout), else absolute.
    static func relativePath(_ url: URL, to base: URL) -> String {
        let target = url.standardizedFileURL.pathComponents, from = base.standardizedFileURL.pathComponents
        var shared = 0
        while shared < min(target.count, from.count) && target[shared] == from[shared] { shared += 1 }
        let up = from.count - shared
        guard shared > 2, up <= 3 else { return url.standardizedFileURL.path }
        return (Array(repeating: "..", count: up) + target[shared...]).joined(separator: "/")
    }
}
