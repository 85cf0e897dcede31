// The UNet's spatial transformer (LDM SpatialTransformer = diffusers Transformer2DModel, SD 1.x variant):
// GN(eps 1e-6) -> 1x1 proj_in -> BasicTransformerBlock (self-attn, cross-attn, GEGLU FF) -> 1x1 proj_out
// -> + input. Mirrors diffusers models/transformers/transformer_2d.py and models/attention.py.
import AttuneTensor

struct Transformer2D {
    let norm: GroupNorm
    let projIn, projOut: ProjectionLayer
    let blocks: [BasicTransformerBlock]

    init(_ w: WeightStore, _ p: String, channels c: Int, heads: Int, crossAttentionDim: Int, groups: Int,
         linearProjection: Bool, depth: Int, sites: (Int) -> (selfSite: AttentionSite, crossSite: AttentionSite)) {
        norm = GroupNorm(w, "\(p).norm", groups: groups, channels: c, eps: 1e-6)
        projIn = ProjectionLayer(w, "\(p).proj_in", channels: c, linear: linearProjection)
        projOut = ProjectionLayer(w, "\(p).proj_out", channels: c, linear: linearProjection)
        blocks = (0..<depth).map { i in
            let s = sites(i)
            return BasicTransformerBlock(w, "\(p).transformer_blocks.\(i)", dim: c, heads: heads,
                                         crossAttentionDim: crossAttentionDim, selfSite: s.selfSite, crossSite: s.crossSite)
        }
    }

    func callAsFunction(_ x: Tensor, context: Tensor, control: AttentionControl?) -> Tensor {
        let (h, w) = (x.dim(2), x.dim(3))
        var tokens = linearFromImage(norm(x), weight: projIn.weight, bias: projIn.bias)
        for block in blocks { tokens = block(tokens, height: h, width: w, context: context, control: control) }
        var out = linearToImage(tokens, weight: projOut.weight, bias: projOut.bias, height: h, width: w)
        addInPlace(&out, x)
        return out
    }
}

/// proj_in/proj_out: a 1x1 conv in SD 1.x, a linear layer when use_linear_projection (SD 2.x). Both are the same
/// matrix, applied between the NCHW picture and the tokens without a separate permute.
struct ProjectionLayer {
    let weight: Tensor
    let bias: Tensor

    init(_ w: WeightStore, _ p: String, channels c: Int, linear: Bool) {
        weight = w.take("\(p).weight", linear ? [c, c] : [c, c, 1, 1]).reshaped([c, c])
        bias = w.take("\(p).bias", [c])
    }
}

struct BasicTransformerBlock {
    let norm1, norm2, norm3: LayerNorm
    let attn1, attn2: AttentionModule
    let ffProj, ffOut: Linear

    init(_ w: WeightStore, _ p: String, dim: Int, heads: Int, crossAttentionDim: Int, selfSite: AttentionSite, crossSite: AttentionSite) {
        norm1 = LayerNorm(w, "\(p).norm1", dim: dim)
        attn1 = AttentionModule(w, "\(p).attn1", queryDim: dim, contextDim: dim, site: selfSite)
        norm2 = LayerNorm(w, "\(p).norm2", dim: dim)
        attn2 = AttentionModule(w, "\(p).attn2", queryDim: dim, contextDim: crossAttentionDim, site: crossSite)
        norm3 = LayerNorm(w, "\(p).norm3", dim: dim)
        ffProj = Linear(w, "\(p).ff.net.0.proj", in: dim, out: dim * 8)
        ffOut = Linear(w, "\(p).ff.net.2", in: dim * 4, out: dim)
    }

    func callAsFunction(_ x: Tensor, height: Int, width: Int, context: Tensor, control: AttentionControl?) -> Tensor {
        var x = x
        let n1 = norm1(x)
        // The biases of to_out, ff.net.0 and ff.net.2 join the next pass over their output instead of a GEMM pre-fill.
        addInPlace(&x, attn1(n1, height: height, width: width, context: n1, control: control), bias: attn1.toOut.bias)
        addInPlace(&x, attn2(norm2(x), height: height, width: width, context: context, control: control), bias: attn2.toOut.bias)
        let hidden = geglu(linear(norm3(x), weight: ffProj.weight), bias: ffProj.bias)
        addInPlace(&x, linear(hidden, weight: ffOut.weight), bias: ffOut.bias)
        return x
    }
}

/// diffusers' Attention with bias-free Q/K/V: projections here, the attention itself through the
/// installed processor (or the plain kernel), then to_out.
struct AttentionModule {
    let toQ, toK, toV, toOut: Linear
    let site: AttentionSite

    init(_ w: WeightStore, _ p: String, queryDim: Int, contextDim: Int, site: AttentionSite) {
        toQ = Linear(w, "\(p).to_q", in: queryDim, out: queryDim, bias: false)
        toK = Linear(w, "\(p).to_k", in: contextDim, out: queryDim, bias: false)
        toV = Linear(w, "\(p).to_v", in: contextDim, out: queryDim, bias: false)
        toOut = Linear(w, "\(p).to_out.0", in: queryDim, out: queryDim)
        self.site = site
    }

    /// The attention output through to_out's weight; to_out's bias is left to the caller's residual add.
    func callAsFunction(_ x: Tensor, height: Int, width: Int, context: Tensor, control: AttentionControl?) -> Tensor {
        let scale = 1 / Float(x.dim(-1) / site.heads).squareRoot()
        guard let control else {
            return linear(scaledDotProductAttention(q: toQ(x), k: toK(context), v: toV(context), heads: site.heads, scale: scale), weight: toOut.weight)
        }
        let call = AttentionCall(site: site, height: height, width: width, step: control.step, layout: control.layout,
                                 q: toQ(x), k: toK(context), v: toV(context), scale: scale)
        return linear(control.processor.process(call) { $0.compute() }, weight: toOut.weight)
    }
}
