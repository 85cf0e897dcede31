// Configurations of an original-layout single-file checkpoint, read off its tensor shapes. Head counts
// and GroupNorm groups leave no trace in shapes: SD 1.x values (8 heads, 32 groups, CLIP heads of 64)
// are assumed unless the file's __metadata__ names them ("attention_heads", "norm_num_groups",
// "vae_norm_num_groups", "text_attention_heads"), as Attune's own small models do.
import AttuneTensor
import Foundation

struct ShapeTable {
    let shapes: [String: [Int]]
    let origin: String

    func shape(_ key: String) throws -> [Int] {
        guard let s = shapes[key] else {
            throw CheckpointError.unrecognizedFormat(path: origin, reason: "missing \(key), needed to infer the model's shape")
        }
        return s
    }

    func has(_ key: String) -> Bool { shapes[key] != nil }
}

enum ConfigurationInference {
    static func unet(_ t: ShapeTable, metadata: [String: String]) throws -> UNetConfiguration {
        let p = KeyMap.unetPrefix
        var c = UNetConfiguration()
        let convIn = try t.shape(p + "input_blocks.0.0.weight")
        let base = convIn[0]
        c.inChannels = convIn[1]
        c.outChannels = try t.shape(p + "out.2.weight")[0]
        // Downsamplers sit at input_blocks.(L+1)*(i+1).0.op; blocks per level = layers + 1.
        var layers = 1
        while t.has(p + "input_blocks.\(layers + 1).0.in_layers.0.weight") { layers += 1 }
        c.layersPerBlock = layers
        var levels = 1
        while t.has(p + "input_blocks.\((layers + 1) * levels).0.op.weight") { levels += 1 }
        var channels: [Int] = [], downTypes: [String] = [], upTypes: [String] = []
        for i in 0..<levels {
            let first = (layers + 1) * i + 1
            channels.append(try t.shape(p + "input_blocks.\(first).0.out_layers.3.weight")[0])
            downTypes.append(t.has(p + "input_blocks.\(first).1.norm.weight") ? "CrossAttnDownBlock2D" : "DownBlock2D")
            upTypes.append(t.has(p + "output_blocks.\((layers + 1) * i).1.norm.weight") ? "CrossAttnUpBlock2D" : "UpBlock2D")
        }
        guard channels.first == base else {
            throw CheckpointError.unrecognizedFormat(path: t.origin, reason: "conv_in has \(base) channels but the first level has \(channels.first ?? 0)")
        }
        c.blockOutChannels = channels
        c.downBlockTypes = downTypes
        c.upBlockTypes = upTypes
        guard let level = downTypes.firstIndex(of: "CrossAttnDownBlock2D") else {
            throw CheckpointError.unrecognizedFormat(path: t.origin, reason: "the UNet has no cross-attention blocks")
        }
        let attn = p + "input_blocks.\((layers + 1) * level + 1).1"
        c.crossAttentionDim = try t.shape(attn + ".transformer_blocks.0.attn2.to_k.weight")[1]
        c.useLinearProjection = try t.shape(attn + ".proj_in.weight").count == 2
        var depth = 1
        while t.has(attn + ".transformer_blocks.\(depth).norm1.weight") { depth += 1 }
        c.transformerLayersPerBlock = depth
        let heads = intList(metadata["attention_heads"]) ?? [8]
        c.attentionHeads = heads.count == 1 ? Array(repeating: heads[0], count: levels) : heads
        c.normNumGroups = Int(metadata["norm_num_groups"] ?? "") ?? 32
        guard c.attentionHeads.count == levels else {
            throw CheckpointError.unrecognizedFormat(path: t.origin, reason: "metadata attention_heads has \(heads.count) entries for \(levels) levels")
        }
        return c
    }

    static func vae(_ t: ShapeTable, prefix p: String, metadata: [String: String]) throws -> AutoencoderConfiguration {
        var c = AutoencoderConfiguration()
        c.inChannels = try t.shape(p + "encoder.conv_in.weight")[1]
        c.outChannels = try t.shape(p + "decoder.conv_out.weight")[0]
        c.latentChannels = try t.shape(p + "post_quant_conv.weight")[0]
        var channels: [Int] = []
        while t.has(p + "encoder.down.\(channels.count).block.0.conv1.weight") {
            channels.append(try t.shape(p + "encoder.down.\(channels.count).block.0.conv1.weight")[0])
        }
        guard !channels.isEmpty else {
            throw CheckpointError.unrecognizedFormat(path: t.origin, reason: "no VAE encoder blocks under \(p)encoder.down.*")
        }
        c.blockOutChannels = channels
        var layers = 0
        while t.has(p + "encoder.down.0.block.\(layers).conv1.weight") { layers += 1 }
        c.layersPerBlock = layers
        c.normNumGroups = Int(metadata["vae_norm_num_groups"] ?? "") ?? 32
        if let s = metadata["scaling_factor"], let f = Float(s) { c.scalingFactor = f }
        return c
    }

    static func text(_ t: ShapeTable, prefix p: String, metadata: [String: String]) throws -> CLIPTextConfiguration {
        var c = CLIPTextConfiguration()
        let emb = try t.shape(p + "embeddings.token_embedding.weight")
        c.vocabSize = emb[0]
        c.hiddenSize = emb[1]
        c.maxPositionEmbeddings = try t.shape(p + "embeddings.position_embedding.weight")[0]
        var layers = 0
        while t.has(p + "encoder.layers.\(layers).layer_norm1.weight") { layers += 1 }
        c.numHiddenLayers = layers
        c.intermediateSize = try t.shape(p + "encoder.layers.0.mlp.fc1.weight")[0]
        c.numAttentionHeads = Int(metadata["text_attention_heads"] ?? "") ?? max(1, c.hiddenSize / 64)
        return c
    }

    static func intList(_ s: String?) -> [Int]? {
        guard let s, let data = s.data(using: .utf8) else { return nil }
        if let list = try? JSONDecoder().decode([Int].self, from: data) { return list }
        return Int(s).map { [$0] }
    }
}
