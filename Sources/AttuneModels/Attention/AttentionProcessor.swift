// The plug-in point for attention control (diffusers' attention processors, as middleware): every
// attention call of the UNet passes through the installed processor, which may rewrite Q, K, V and the
// kernel's options (K/V sources, key bias, a probability editor), call the next stage, and rewrite the
// output. The UNet knows nothing about any method.
import AttuneTensor

/// One attention call, in token layout: q [B, N, heads*d], k/v [B, M, heads*d]; the output of the
/// call is what goes into `to_out`.
public struct AttentionCall {
    public let site: AttentionSite
    /// The feature map's size at this call: queries are its height * width positions (row-major).
    public let height: Int
    public let width: Int
    public let step: DenoisingStep
    public let layout: BatchLayout
    public var q: Tensor
    public var k: Tensor
    public var v: Tensor
    public var scale: Float
    public var options: AttentionOptions

    public init(site: AttentionSite, height: Int, width: Int, step: DenoisingStep, layout: BatchLayout,
                q: Tensor, k: Tensor, v: Tensor, scale: Float, options: AttentionOptions = AttentionOptions()) {
        self.site = site
        self.height = height
        self.width = width
        self.step = step
        self.layout = layout
        self.q = q
        self.k = k
        self.v = v
        self.scale = scale
        self.options = options
    }

    /// The plain computation: softmax(q kᵀ scale + bias) v with the call's options.
    public func compute() -> Tensor {
        scaledDotProductAttention(q: q, k: k, v: v, heads: site.heads, scale: scale, options: options)
    }
}

public protocol AttentionProcessor: AnyObject {
    /// Returns the attention output for `call`; `next` runs the rest of the chain (finally the plain kernel).
    func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor
}

/// Processors applied in order: the first sees the call first and the output last.
public final class ProcessorChain: AttentionProcessor {
    public let processors: [AttentionProcessor]

    public init(_ processors: [AttentionProcessor]) { self.processors = processors }

    public func process(_ call: AttentionCall, next: (AttentionCall) -> Tensor) -> Tensor {
        func run(_ i: Int, _ c: AttentionCall) -> Tensor {
            i == processors.count ? next(c) : processors[i].process(c) { run(i + 1, $0) }
        }
        return run(0, call)
    }
}

/// What a UNet call needs to route attention through a processor.
public struct AttentionControl {
    public let processor: AttentionProcessor
    public let step: DenoisingStep
    public let layout: BatchLayout

    public init(processor: AttentionProcessor, step: DenoisingStep, layout: BatchLayout) {
        self.processor = processor
        self.step = step
        self.layout = layout
    }
}
