// A cheap picture of a latent for live previews: RGB as a linear function of the four latent channels
// (per pixel, so the preview is the latent's size), instead of a VAE decode that costs more than a UNet
// step. SD 1.x's factors are A1111's "cheap approximation" (from discuss.huggingface.co thread 23204);
// a model can bring its own in its file's metadata ("latent_rgb_factors": 4 rows of RGB, then a bias).
import AttuneTensor
import Foundation

public struct LatentPreview: Sendable, Equatable {
    /// factors[c] = (r, g, b) contribution of latent channel c.
    public let factors: [[Float]]
    public let bias: [Float]

    public static let sd15 = LatentPreview(
        factors: [[0.298, 0.207, 0.208], [0.187, 0.286, 0.173], [-0.158, 0.189, 0.264], [-0.184, -0.271, -0.473]],
        bias: [0, 0, 0])

    public init(factors: [[Float]], bias: [Float]) {
        precondition(factors.count == 4 && factors.allSatisfy { $0.count == 3 } && bias.count == 3, "LatentPreview: 4x3 factors and 3 biases")
        self.factors = factors
        self.bias = bias
    }

    /// From metadata JSON `[[r,g,b] x 4, [bias r, g, b]]`; nil when absent or malformed.
    public init?(json: String?) {
        guard let json, let rows = try? JSONDecoder().decode([[Float]].self, from: Data(json.utf8)),
              rows.count == 5, rows.allSatisfy({ $0.count == 3 }) else { return nil }
        self.init(factors: Array(rows.prefix(4)), bias: rows[4])
    }

    /// Latent [1, 4, h, w] -> RGB bytes (row-major triples) of size w x h, from values in [-1, 1].
    public func rgb(_ latent: Tensor) -> (width: Int, height: Int, pixels: [UInt8]) {
        precondition(latent.rank == 4 && latent.dim(1) == 4, "LatentPreview: expected [1, 4, h, w], got \(latent.shape)")
        let (h, w) = (latent.dim(2), latent.dim(3))
        let v = latent.scalars
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for p in 0..<(w * h) {
            for c in 0..<3 {
                var s = bias[c]
                for k in 0..<4 { s += v[k * w * h + p] * factors[k][c] }
                out[p * 3 + c] = UInt8(max(0, min(255, ((s + 1) * 127.5).rounded())))
            }
        }
        return (w, h, out)
    }
}
