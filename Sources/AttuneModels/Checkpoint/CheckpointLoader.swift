// Finds and loads the weights users keep on disk: an original-layout single-file .safetensors
// (model.diffusion_model.*, first_stage_model.*, cond_stage_model.transformer.*) or a diffusers folder
// (model_index.json, unet/, vae/, text_encoder/, tokenizer/). fp16 and bf16 weights stay in their
// precision in memory and are widened on use.
import AttuneTensor
import Foundation

public struct LoadedModel {
    public let tokenizer: CLIPTokenizer
    public let textEncoder: CLIPTextModel
    public let unet: UNet
    public let vae: AutoencoderKL
    /// "single file" or "diffusers folder", with the path and the weights' precision.
    public let description: String
    /// How live previews turn latents into colours.
    public let preview: LatentPreview
    /// The image side the model was trained at, which commands use when no size is given (SD 1.x: 512).
    public let imageSize: Int

    public init(tokenizer: CLIPTokenizer, textEncoder: CLIPTextModel, unet: UNet, vae: AutoencoderKL, description: String,
                preview: LatentPreview = .sd15, imageSize: Int = 512) {
        self.tokenizer = tokenizer
        self.textEncoder = textEncoder
        self.unet = unet
        self.vae = vae
        self.description = description
        self.preview = preview
        self.imageSize = imageSize
    }
}

public enum CheckpointLoader {
    /// Loads a model from a single .safetensors file or a diffusers folder. `variant` picks
    /// `*.<variant>.safetensors` weight files in a diffusers folder (e.g. "fp16").
    public static func load(_ url: URL, variant: String? = nil) throws -> LoadedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CheckpointError.notFound(url.path)
        }
        return isDirectory.boolValue ? try loadDiffusersFolder(url, variant: variant) : try loadSingleFile(url)
    }

    // MARK: - Single file

    static let pickleExtensions: Set<String> = ["ckpt", "pt", "pth", "bin", "pkl"]

    static func loadSingleFile(_ url: URL) throws -> LoadedModel {
        try refusePickle(url)
        let file = try SafeTensorsFile(url: url)
        let names = file.names
        var shapes: [String: [Int]] = [:]
        for n in names { shapes[n] = file.info(n)?.shape }
        let table = ShapeTable(shapes: shapes, origin: url.path)
        guard names.contains(where: { $0.hasPrefix(KeyMap.unetPrefix) }) else {
            let prefixes = Set(names.map { $0.split(separator: ".").prefix(2).joined(separator: ".") }).sorted().prefix(8)
            throw CheckpointError.unrecognizedFormat(path: url.path, reason:
                "no UNet weights under \(KeyMap.unetPrefix)* (found prefixes: \(prefixes.joined(separator: ", ")))")
        }
        guard let vaePrefix = KeyMap.vaePrefixes.first(where: { p in names.contains { $0.hasPrefix(p) } }) else {
            throw CheckpointError.unrecognizedFormat(path: url.path, reason: "no VAE weights under first_stage_model.* or vae.*")
        }
        let textPrefix = KeyMap.textPrefix + (names.contains { $0.hasPrefix(KeyMap.textPrefix + "text_model.") } ? "text_model." : "")
        guard names.contains(where: { $0.hasPrefix(textPrefix) }) else {
            throw CheckpointError.unrecognizedFormat(path: url.path, reason: "no CLIP text encoder under \(KeyMap.textPrefix)*")
        }
        let meta = file.metadata
        let unetConfig = try ConfigurationInference.unet(table, metadata: meta)
        let vaeConfig = try ConfigurationInference.vae(table, prefix: vaePrefix, metadata: meta)
        let textConfig = try ConfigurationInference.text(table, prefix: textPrefix, metadata: meta)

        func store(_ prefix: String, _ rename: (String) -> String?) throws -> WeightStore {
            var tensors: [String: Tensor] = [:]
            for n in names where n.hasPrefix(prefix) {
                let key = String(n.dropFirst(prefix.count))
                tensors[rename(key) ?? key] = try file.tensor(n)
            }
            return WeightStore(tensors, origin: url.path)
        }
        var checks = WeightChecks()
        let unet = checks.build("UNet", try store(KeyMap.unetPrefix) { KeyMap.unet($0, configuration: unetConfig) }) {
            UNet($0, configuration: unetConfig)
        }
        let vae = checks.build("VAE", try store(vaePrefix) { KeyMap.vae($0, levels: vaeConfig.blockOutChannels.count) }) {
            AutoencoderKL($0, configuration: vaeConfig)
        }
        let text = checks.build("text encoder", try store(textPrefix) { KeyMap.text($0) }) { CLIPTextModel($0, configuration: textConfig) }
        try checks.verify()
        return LoadedModel(tokenizer: try CLIPTokenizer.bundled(), textEncoder: text, unet: unet, vae: vae,
                           description: "single file \(url.path) (\(precision([file])))",
                           preview: LatentPreview(json: meta["latent_rgb_factors"]) ?? .sd15,
                           imageSize: imageSize(metadata: meta))
    }

    /// A pickle under any name is refused with instructions, before the safetensors parser sees it.
    static func refusePickle(_ url: URL) throws {
        if pickleExtensions.contains(url.pathExtension.lowercased()) { throw CheckpointError.pickleCheckpoint(url.path) }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        // A torch zip archive ("PK\x03\x04") or a raw pickle (protocol byte 0x80).
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.first == 0x80 { throw CheckpointError.pickleCheckpoint(url.path) }
    }

    /// Builds models from stores and collects what does not fit, so one error names the problems of every model.
    struct WeightChecks {
        var errors: [CheckpointError] = []

        mutating func build<M>(_ name: String, _ store: WeightStore, _ make: (WeightStore) -> M) -> M {
            let model = make(store)
            do {
                try store.verify(model: name) { $0.hasSuffix("position_ids") }
            } catch let e as CheckpointError {
                errors.append(e)
            } catch {
                preconditionFailure("WeightStore.verify throws CheckpointError only")
            }
            store.release()
            return model
        }

        func verify() throws {
            if errors.count == 1 { throw errors[0] }
            if !errors.isEmpty { throw CheckpointError.several(errors) }
        }
    }

    // MARK: - diffusers folder

    static func loadDiffusersFolder(_ url: URL, variant: String?) throws -> LoadedModel {
        let index = url.appendingPathComponent("model_index.json")
        guard FileManager.default.fileExists(atPath: index.path) else {
            throw CheckpointError.unrecognizedFormat(path: url.path, reason: "a folder without model_index.json is not a diffusers model")
        }
        let unetConfig: UNetConfiguration = try readConfig(url, "unet")
        let vaeConfig: AutoencoderConfiguration = try readConfig(url, "vae")
        let textConfig: CLIPTextConfiguration = try readConfig(url, "text_encoder")
        let unetFiles = try weightFiles(url, "unet", stem: "diffusion_pytorch_model", variant: variant)
        let vaeFiles = try weightFiles(url, "vae", stem: "diffusion_pytorch_model", variant: variant)
        let textFiles = try weightFiles(url, "text_encoder", stem: "model", variant: variant)

        func store(_ files: [SafeTensorsFile], _ rename: (String) -> String) throws -> WeightStore {
            var tensors: [String: Tensor] = [:]
            for f in files { for n in f.names { tensors[rename(n)] = try f.tensor(n) } }
            return WeightStore(tensors, origin: files.map(\.url.path).joined(separator: ", "))
        }
        var checks = WeightChecks()
        let unet = checks.build("UNet", try store(unetFiles) { $0 }) { UNet($0, configuration: unetConfig) }
        let vae = checks.build("VAE", try store(vaeFiles) { KeyMap.vae($0, levels: vaeConfig.blockOutChannels.count) }) {
            AutoencoderKL($0, configuration: vaeConfig)
        }
        let text = checks.build("text encoder", try store(textFiles) { KeyMap.text($0) }) { CLIPTextModel($0, configuration: textConfig) }
        try checks.verify()
        let vocab = url.appendingPathComponent("tokenizer/vocab.json"), merges = url.appendingPathComponent("tokenizer/merges.txt")
        let tokenizer = FileManager.default.fileExists(atPath: vocab.path) && FileManager.default.fileExists(atPath: merges.path)
            ? try CLIPTokenizer(vocabularyJSON: vocab, merges: merges) : try CLIPTokenizer.bundled()
        return LoadedModel(tokenizer: tokenizer, textEncoder: text, unet: unet, vae: vae,
                           description: "diffusers folder \(url.path) (\(precision(unetFiles + vaeFiles + textFiles)))",
                           imageSize: imageSize(folder: url, vae: vaeConfig))
    }

    /// The image side a checkpoint was trained at, read from its header or config without loading weights
    /// (nil when the path is not a model).
    public static func imageSize(of url: URL) -> Int? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return imageSize(folder: url, vae: (try? readConfig(url, "vae")) ?? .sd15) }
        return (try? SafeTensorsFile(url: url)).map { imageSize(metadata: $0.metadata) }
    }

    /// A single file's "image_size" hint (Attune's own files carry one), else SD 1.x's 512.
    static func imageSize(metadata: [String: String]) -> Int { metadata["image_size"].flatMap { Int($0) } ?? 512 }

    /// A diffusers folder's unet/config.json sample_size (the latent side it was trained at; SD 1.x: 64) times
    /// its VAE's downscale.
    static func imageSize(folder: URL, vae: AutoencoderConfiguration) -> Int {
        let data = try? Data(contentsOf: folder.appendingPathComponent("unet/config.json"))
        let json = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (json?["sample_size"] as? Int ?? 64) * vae.downscale
    }

    /// The most common dtype among the files' tensors.
    static func precision(_ files: [SafeTensorsFile]) -> String {
        var counts: [String: Int] = [:]
        for f in files { for n in f.names { if let d = f.info(n)?.dtype { counts[d.rawValue, default: 0] += 1 } } }
        return counts.sorted { $0.value > $1.value }.first?.key ?? "empty"
    }

    static func readConfig<C: Decodable>(_ root: URL, _ component: String) throws -> C {
        let file = root.appendingPathComponent("\(component)/config.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CheckpointError.missingComponent(model: component, path: root.path)
        }
        do {
            return try JSONDecoder().decode(C.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw CheckpointError.invalidConfig(path: file.path, reason: "missing key \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw CheckpointError.invalidConfig(path: file.path, reason: "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)")
        } catch {
            throw CheckpointError.invalidConfig(path: file.path, reason: "\(error)")
        }
    }

    /// The component's safetensors files: `<stem>[.<variant>].safetensors`, or the shards its index lists.
    static func weightFiles(_ root: URL, _ component: String, stem: String, variant: String?) throws -> [SafeTensorsFile] {
        let dir = root.appendingPathComponent(component)
        let fm = FileManager.default
        let candidates = (variant.map { ["\(stem).\($0).safetensors"] } ?? []) + ["\(stem).safetensors", "\(stem).fp16.safetensors"]
        for name in candidates where fm.fileExists(atPath: dir.appendingPathComponent(name).path) {
            return [try SafeTensorsFile(url: dir.appendingPathComponent(name))]
        }
        for name in (variant.map { ["\(stem).safetensors.index.\($0).json", "\(stem).\($0).safetensors.index.json"] } ?? []) + ["\(stem).safetensors.index.json"] {
            let indexURL = dir.appendingPathComponent(name)
            guard let data = fm.contents(atPath: indexURL.path) else { continue }
            struct ShardIndex: Decodable { let weight_map: [String: String] }
            guard let shardIndex = try? JSONDecoder().decode(ShardIndex.self, from: data) else {
                throw CheckpointError.invalidConfig(path: indexURL.path, reason: "not a safetensors shard index (no weight_map)")
            }
            return try Set(shardIndex.weight_map.values).sorted().map { try SafeTensorsFile(url: dir.appendingPathComponent($0)) }
        }
        let pickles = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter { pickleExtensions.contains(URL(fileURLWithPath: $0).pathExtension) }
        if let p = pickles.first { throw CheckpointError.pickleCheckpoint(dir.appendingPathComponent(p).path) }
        throw CheckpointError.missingComponent(model: "\(component) weights (\(candidates.joined(separator: " or ")))", path: root.path)
    }
}
