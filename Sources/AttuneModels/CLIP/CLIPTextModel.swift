// CLIP's text transformer as Stable Diffusion 1.x uses it: token + position embeddings, pre-LayerNorm
// blocks with causal self-attention and quick-GELU MLPs, and a final LayerNorm over all 77 positions.
// Mirrors transformers models/clip/modeling_clip.py (CLIPTextTransformer). Parameter names are
// transformers' without the "text_model." prefix.
import AttuneTensor

public final class CLIPTextModel {
    public let configuration: CLIPTextConfiguration
    let tokenEmbedding: Tensor
    let positionEmbedding: Tensor
    let layers: [CLIPEncoderLayer]
    let finalLayerNorm: LayerNorm

    public init(_ w: WeightStore, configuration c: CLIPTextConfiguration) {
        configuration = c
        tokenEmbedding = w.take("embeddings.token_embedding.weight", [c.vocabSize, c.hiddenSize])
        positionEmbedding = w.take("embeddings.position_embedding.weight", [c.maxPositionEmbeddings, c.hiddenSize])
        layers = (0..<c.numHiddenLayers).map { CLIPEncoderLayer(w, "encoder.layers.\($0)", configuration: c) }
        finalLayerNorm = LayerNorm(w, "final_layer_norm", dim: c.hiddenSize, eps: c.layerNormEps)
    }

    /// Token ids [B][77] -> last hidden state [B, 77, hidden] (after the final LayerNorm).
    public func callAsFunction(_ ids: [[Int32]]) -> Tensor {
        let d = configuration.hiddenSize
        let n = ids.first?.count ?? 0
        precondition(n <= configuration.maxPositionEmbeddings, "CLIPTextModel: \(n) tokens exceed \(configuration.maxPositionEmbeddings) positions")
        var x = Tensor(uninitialized: [ids.count, n, d])
        let px = x.mutableFloats.baseAddress!
        // Position ids are always 0..<n: stored position_ids buffers are ignored (merged checkpoints corrupt them).
        let tok = tokenEmbedding.widened(), pos = positionEmbedding.widened()
        for (b, row) in ids.enumerated() {
            precondition(row.count == n, "CLIPTextModel: prompts of different lengths")
            for (i, id) in row.enumerated() {
                precondition(id >= 0 && Int(id) < configuration.vocabSize, "CLIPTextModel: token id \(id) outside the vocabulary")
                let dst = px + (b * n + i) * d
                let te = tok.floats.baseAddress! + Int(id) * d, pe = pos.floats.baseAddress! + i * d
                for j in 0..<d { dst[j] = te[j] + pe[j] }
            }
        }
        for layer in layers { x = layer(x) }
        return finalLayerNorm(x)
    }
}

struct CLIPEncoderLayer {
    let layerNorm1, layerNorm2: LayerNorm
    let qProj, kProj, vProj, outProj: Linear
    let fc1, fc2: Linear
    let heads: Int
    let activation: Activation

    init(_ w: WeightStore, _ p: String, configuration c: CLIPTextConfiguration) {
        let d = c.hiddenSize
        layerNorm1 = LayerNorm(w, "\(p).layer_norm1", dim: d, eps: c.layerNormEps)
        layerNorm2 = LayerNorm(w, "\(p).layer_norm2", dim: d, eps: c.layerNormEps)
        qProj = Linear(w, "\(p).self_attn.q_proj", in: d, out: d)
        kProj = Linear(w, "\(p).self_attn.k_proj", in: d, out: d)
        vProj = Linear(w, "\(p).self_attn.v_proj", in: d, out: d)
        outProj = Linear(w, "\(p).self_attn.out_proj", in: d, out: d)
        fc1 = Linear(w, "\(p).mlp.fc1", in: d, out: c.intermediateSize)
        fc2 = Linear(w, "\(p).mlp.fc2", in: c.intermediateSize, out: d)
        heads = c.numAttentionHeads
        activation = c.hiddenAct == "gelu" ? .gelu : .quickGelu
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var x = x
        let h = layerNorm1(x)
        let scale = 1 / Float(x.dim(-1) / heads).squareRoot()
        let a = scaledDotProductAttention(q: qProj(h), k: kProj(h), v: vProj(h), heads: heads, scale: scale,
                                          options: AttentionOptions(causal: true))
        addInPlace(&x, outProj(a))
        addInPlace(&x, fc2(AttuneTensor.activation(fc1(layerNorm2(x)), activation)))
        return x
    }
}
