// Exports recorded cross-attention maps: per token of a prompt, the map averaged over heads, layers of one
// resolution and all recorded steps, min-max normalised, as a heat map over the picture (PNG) and all of
// them as one tensor file (maps.safetensors, [tokens, h, w] plus the raw averages).
import AttuneImage
import AttuneModels
import AttuneTensor
import Foundation

public enum AttentionMapExport {
    /// The average map of each token position for batch item `item` at one feature-map size (the most
    /// recorded size if nil).
    public static func tokenMaps(_ recorder: AttentionMapRecorder, item: Int, tokens: [Int], size: (height: Int, width: Int)? = nil) -> [Mask] {
        let records = recorder.records
        guard !records.isEmpty else { return [] }
        let target = size ?? mostRecordedSize(records)
        let chosen = records.filter { $0.height == target.height && $0.width == target.width }
        return tokens.compactMap { AttentionMapRecorder.tokenMap(chosen, item: item, tokens: [$0]) }
    }

    static func mostRecordedSize(_ records: [AttentionMapRecorder.Record]) -> (height: Int, width: Int) {
        var counts: [[Int]: Int] = [:]
        for r in records { counts[[r.height, r.width], default: 0] += 1 }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key[0] < b.key[0]) }?.key ?? [1, 1]
        return (best[0], best[1])
    }

    /// Writes `<index>-<token>.png` heat maps over `picture` for every content token of `prompt` (batch item
    /// `item`: the conditional row of the prompt's branch), and maps.safetensors. Returns the number of maps written.
    public static func write(_ recorder: AttentionMapRecorder, prompt: String, item: Int, picture: Image,
                             tokenizer: CLIPTokenizer, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tokens = tokenizer.encode(prompt).tokens
        let positions = Array(1...max(tokens.count, 1)).prefix(tokens.count)
        let maps = tokenMaps(recorder, item: item, tokens: Array(positions))
        guard let first = maps.first else { return 0 }
        var tensors: [String: Tensor] = [:]
        for (i, (position, map)) in zip(positions, maps).enumerated() {
            let name = tokens[i].filter { $0.isLetter || $0.isNumber }
            let normalized = map.normalized
            try PNGFile.write(Heatmap.overlay(normalized.values, width: map.width, height: map.height, on: picture),
                              to: directory.appendingPathComponent(String(format: "%02d-%@.png", position, name.isEmpty ? "token" : name)))
            tensors["token.\(position)"] = map.tensor
        }
        tensors["maps"] = Tensor(maps.flatMap { $0.normalized.values }, shape: [maps.count, first.height, first.width])
        try SafeTensorsWriter.write(tensors, metadata: ["prompt": prompt, "tokens": tokens.joined(separator: " ")],
                                    to: directory.appendingPathComponent("maps.safetensors"))
        return maps.count
    }

    /// Writes `self-<x>-<y>.png`: where the picture's pixel (x, y) looks, from a recorder that kept that pixel's
    /// self-attention row at one level (`AttentionMapRecorder(queryRows:)`), averaged over layers, steps and heads.
    public static func writeSelfAttention(_ recorder: AttentionMapRecorder, item: Int, pixel: (x: Int, y: Int), picture: Image,
                                          to directory: URL) throws -> Bool {
        let records = recorder.records
        guard let first = records.first else { return false }
        var sum = [Float](repeating: 0, count: first.probabilities.dim(2))
        for r in records where r.height == first.height && r.width == first.width {
            let p = r.probabilities.floats.baseAddress! + item * sum.count
            for j in 0..<sum.count { sum[j] += p[j] }
        }
        let map = Mask(height: first.height, width: first.width, values: sum).normalized
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try PNGFile.write(Heatmap.overlay(map.values, width: map.width, height: map.height, on: picture),
                          to: directory.appendingPathComponent("self-\(pixel.x)-\(pixel.y).png"))
        return true
    }

    /// The self-attention recorder for the picture's pixel (x, y) at UNet `level` of a `width` x `height` image
    /// whose latent is 1/`latentScale` of it: the query row is the pixel's feature-map cell.
    public static func selfAttentionRecorder(pixel: (x: Int, y: Int), width: Int, height: Int, latentScale: Int, level: Int) -> AttentionMapRecorder {
        let side = (width / latentScale) >> level, rows = (height / latentScale) >> level
        let cell = min(rows - 1, pixel.y * rows / height) * side + min(side - 1, pixel.x * side / width)
        return AttentionMapRecorder(queryRows: [cell]) { site, _, h, w in site.kind == .selfAttention && h == rows && w == side }
    }
}
