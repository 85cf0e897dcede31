// Original-layout (LDM / CompVis) checkpoint keys -> diffusers names, as data: prefix rewrites generated
// from the model's configuration plus a few in-module renames. Follows diffusers
// scripts/convert_diffusers_to_original_stable_diffusion.py and loaders/single_file_utils.py.

/// Rewrites key prefixes; the longest matching prefix wins, and the rest of the key is kept.
struct PrefixMap {
    private var rules: [(from: String, to: String)] = []

    mutating func add(_ from: String, _ to: String) { rules.append((from + ".", to + ".")) }

    func callAsFunction(_ key: String) -> String? {
        var best: (from: String, to: String)?
        for r in rules where key.hasPrefix(r.from) && r.from.count > (best?.from.count ?? -1) { best = r }
        guard let best else { return nil }
        return best.to + key.dropFirst(best.from.count)
    }
}

/// Replaces whole dotted components inside a key ("in_layers.0" -> "norm1").
func renameComponents(_ key: String, _ renames: [(String, String)]) -> String {
    var k = "." + key + "."
    for (from, to) in renames { k = k.replacingOccurrences(of: "." + from + ".", with: "." + to + ".") }
    return String(k.dropFirst().dropLast())
}

enum KeyMap {
    static let unetPrefix = "model.diffusion_model."
    static let vaePrefixes = ["first_stage_model.", "vae."]
    static let textPrefix = "cond_stage_model.transformer."

    static let resnetRenames = [
        ("in_layers.0", "norm1"), ("in_layers.2", "conv1"), ("emb_layers.1", "time_emb_proj"),
        ("out_layers.0", "norm2"), ("out_layers.3", "conv2"), ("skip_connection", "conv_shortcut"),
    ]

    /// UNet: keys without the "model.diffusion_model." prefix.
    static func unet(_ key: String, configuration c: UNetConfiguration) -> String? {
        var map = PrefixMap()
        let l = c.layersPerBlock
        map.add("time_embed.0", "time_embedding.linear_1")
        map.add("time_embed.2", "time_embedding.linear_2")
        map.add("input_blocks.0.0", "conv_in")
        map.add("out.0", "conv_norm_out")
        map.add("out.2", "conv_out")
        map.add("middle_block.0", "mid_block.resnets.0")
        map.add("middle_block.1", "mid_block.attentions.0")
        map.add("middle_block.2", "mid_block.resnets.1")
        for i in 0..<c.levels {
            for j in 0..<l {
                map.add("input_blocks.\((l + 1) * i + j + 1).0", "down_blocks.\(i).resnets.\(j)")
                map.add("input_blocks.\((l + 1) * i + j + 1).1", "down_blocks.\(i).attentions.\(j)")
            }
            if i < c.levels - 1 { map.add("input_blocks.\((l + 1) * (i + 1)).0.op", "down_blocks.\(i).downsamplers.0.conv") }
            let upAttention = c.upBlockTypes[i].hasPrefix("CrossAttn")
            for j in 0...l {
                map.add("output_blocks.\((l + 1) * i + j).0", "up_blocks.\(i).resnets.\(j)")
                map.add("output_blocks.\((l + 1) * i + j).1", "up_blocks.\(i).attentions.\(j)")
            }
            if i < c.levels - 1 {
                map.add("output_blocks.\((l + 1) * i + l).\(upAttention ? 2 : 1).conv", "up_blocks.\(i).upsamplers.0.conv")
            }
        }
        guard let mapped = map(key) else { return nil }
        return mapped.contains(".resnets.") ? renameComponents(mapped, resnetRenames) : mapped
    }

    /// VAE: keys without the "first_stage_model." prefix. `levels` is the number of resolution levels.
    static func vae(_ key: String, levels: Int) -> String {
        var map = PrefixMap()
        for i in 0..<levels {
            for j in 0..<8 {
                map.add("encoder.down.\(i).block.\(j)", "encoder.down_blocks.\(i).resnets.\(j)")
                map.add("decoder.up.\(levels - 1 - i).block.\(j)", "decoder.up_blocks.\(i).resnets.\(j)")
            }
            map.add("encoder.down.\(i).downsample.conv", "encoder.down_blocks.\(i).downsamplers.0.conv")
            map.add("decoder.up.\(levels - 1 - i).upsample.conv", "decoder.up_blocks.\(i).upsamplers.0.conv")
        }
        for part in ["encoder", "decoder"] {
            map.add("\(part).mid.block_1", "\(part).mid_block.resnets.0")
            map.add("\(part).mid.block_2", "\(part).mid_block.resnets.1")
            map.add("\(part).mid.attn_1", "\(part).mid_block.attentions.0")
            map.add("\(part).norm_out", "\(part).conv_norm_out")
        }
        let mapped = map(key) ?? key
        return renameComponents(mapped, [("nin_shortcut", "conv_shortcut")] + (mapped.contains(".attentions.") ? vaeAttentionRenames : []))
    }

    /// LDM names and old diffusers names (VAE configs from diffusers 0.6) of the VAE attention.
    static let vaeAttentionRenames = [
        ("norm", "group_norm"), ("q", "to_q"), ("k", "to_k"), ("v", "to_v"), ("proj_out", "to_out.0"),
        ("query", "to_q"), ("key", "to_k"), ("value", "to_v"), ("proj_attn", "to_out.0"),
    ]

    /// Text encoder: transformers names without "text_model." (transformers 5 writes them so; 4.x kept it).
    static func text(_ key: String) -> String {
        var k = key
        if k.hasPrefix(textPrefix) { k.removeFirst(textPrefix.count) }
        if k.hasPrefix("text_model.") { k.removeFirst("text_model.".count) }
        return k
    }
}
