// T2I-Adapter for SD 1.4/1.5 (Mou et al., 2023), the full adapter users download (sketch, canny, depth,
// pose): PixelUnshuffle(8), a 3x3 conv, then per UNet level two residual blocks (1x1 conv when the
// channels change, 3x3 -> ReLU -> 1x1, identity skip; 2x2 average pooling before each level but the first).
// Its four feature maps are added to the UNet encoder, scaled by a condition strength.
// Mirrors TencentARC/T2I-Adapter (SD branch) ldm/modules/encoders/adapter.py and diffusers FullAdapter.
import AttuneTensor
import Foundation

public struct T2IAdapterConfiguration: Codable, Equatable, Sendable {
    public var inChannels = 3
    public var channels = [320, 640, 1280, 1280]
    public var numResBlocks = 2
    public var downscaleFactor = 8

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", channels, numResBlocks = "num_res_blocks", downscaleFactor = "downscale_factor"
    }

    public init() {}
}

public final class T2IAdapter {
    public let configuration: T2IAdapterConfiguration
    let convIn: Conv2d
    let levels: [(inConv: Conv2d?, blocks: [(block1: Conv2d, block2: Conv2d)])]

    /// Parameter names are diffusers' (`adapter.conv_in`, `adapter.body.{i}.resnets.{j}.block1`, `adapter.body.{i}.in_conv`).
    public init(_ w: WeightStore, configuration c: T2IAdapterConfiguration) {
        configuration = c
        let cin = c.inChannels * c.downscaleFactor * c.downscaleFactor
        convIn = Conv2d(w, "adapter.conv_in", in: cin, out: c.channels[0], kernel: 3, padding: 1)
        var built: [(inConv: Conv2d?, blocks: [(block1: Conv2d, block2: Conv2d)])] = []
        var previous = c.channels[0]
        for (i, ch) in c.channels.enumerated() {
            let p = "adapter.body.\(i)"
            let inConv = previous == ch ? nil : Conv2d(w, "\(p).in_conv", in: previous, out: ch, kernel: 1)
            let blocks = (0..<c.numResBlocks).map { j in
                (Conv2d(w, "\(p).resnets.\(j).block1", in: ch, out: ch, kernel: 3, padding: 1),
                 Conv2d(w, "\(p).resnets.\(j).block2", in: ch, out: ch, kernel: 1))
            }
            built.append((inConv, blocks))
            previous = ch
        }
        levels = built
    }

    /// Condition image [B, inChannels, H, W] in [0, 1] -> one feature map per UNet level, times `strength`.
    public func callAsFunction(_ condition: Tensor, strength: Float = 1) -> [Tensor] {
        precondition(condition.rank == 4 && condition.dim(1) == configuration.inChannels,
                     "T2IAdapter: condition must be [B, \(configuration.inChannels), H, W], got \(condition.shape)")
        var x = convIn(pixelUnshuffle(condition, factor: configuration.downscaleFactor))
        var features: [Tensor] = []
        for (i, level) in levels.enumerated() {
            if i > 0 { x = avgPool2d(x, kernel: 2) }
            if let inConv = level.inConv { x = inConv(x) }
            for block in level.blocks {
                var h = block.block2(activation(block.block1(x), .relu))
                addInPlace(&h, x)
                x = h
            }
            features.append(strength == 1 ? x : x * strength)
        }
        return features
    }

    /// Loads a diffusers adapter folder (config.json + diffusion_pytorch_model.safetensors) or a single
    /// .safetensors file in either diffusers or the original T2I-Adapter layout (`body.{k}.block1`, `conv_in`).
    public static func load(_ url: URL) throws -> T2IAdapter {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw CheckpointError.notFound(url.path) }
        var configuration: T2IAdapterConfiguration?
        var file = url
        if isDirectory.boolValue {
            configuration = try CheckpointLoader.readConfig(url, "")
            file = url.appendingPathComponent("diffusion_pytorch_model.safetensors")
        }
        try CheckpointLoader.refusePickle(file)
        let st = try SafeTensorsFile(url: file)
        var tensors: [String: Tensor] = [:]
        for n in st.names { tensors[n] = try st.tensor(n) }
        tensors = remapOriginalLayout(tensors)
        let c = try configuration ?? inferConfiguration(tensors, origin: file.path)
        var checks = CheckpointLoader.WeightChecks()
        let adapter = checks.build("T2I-Adapter", WeightStore(tensors, origin: file.path)) { T2IAdapter($0, configuration: c) }
        try checks.verify()
        return adapter
    }

    /// Original layout: a flat list of residual blocks `body.{level * blocksPerLevel + j}` with an `in_conv`
    /// on each level's first block; optionally prefixed with "adapter.".
    static func remapOriginalLayout(_ t: [String: Tensor]) -> [String: Tensor] {
        let stripped = Dictionary(uniqueKeysWithValues: t.map { (k, v) in (k.hasPrefix("adapter.") ? String(k.dropFirst(8)) : k, v) })
        guard !stripped.keys.contains(where: { $0.contains(".resnets.") }) else {
            return Dictionary(uniqueKeysWithValues: stripped.map { ("adapter." + $0.key, $0.value) })
        }
        let perLevel = stripped.keys.filter { $0.hasPrefix("body.") && $0.hasSuffix(".in_conv.weight") }.count
        let blocks = Set(stripped.keys.compactMap { k -> Int? in k.hasPrefix("body.") ? Int(k.split(separator: ".")[1]) : nil }).count
        let levels = max(1, perLevel + 1)
        let rb = max(1, blocks / levels)
        var out: [String: Tensor] = [:]
        for (k, v) in stripped {
            let parts = k.split(separator: ".").map(String.init)
            guard parts.first == "body", parts.count >= 3, let flat = Int(parts[1]) else { out["adapter." + k] = v; continue }
            let level = flat / rb, j = flat % rb, rest = parts[2...].joined(separator: ".")
            out[rest.hasPrefix("in_conv") ? "adapter.body.\(level).\(rest)" : "adapter.body.\(level).resnets.\(j).\(rest)"] = v
        }
        return out
    }

    static func inferConfiguration(_ t: [String: Tensor], origin: String) throws -> T2IAdapterConfiguration {
        guard let convIn = t["adapter.conv_in.weight"] else {
            throw CheckpointError.unrecognizedFormat(path: origin, reason: "no adapter conv_in weight: not a T2I-Adapter")
        }
        var c = T2IAdapterConfiguration()
        c.inChannels = convIn.dim(1) / (c.downscaleFactor * c.downscaleFactor)
        var channels: [Int] = []
        while let w = t["adapter.body.\(channels.count).resnets.0.block1.weight"] { channels.append(w.dim(0)) }
        var blocks = 0
        while t["adapter.body.0.resnets.\(blocks).block1.weight"] != nil { blocks += 1 }
        c.channels = channels
        c.numResBlocks = blocks
        return c
    }
}
