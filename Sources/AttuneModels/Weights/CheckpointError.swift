// Errors from finding and loading model weights. Messages name the file, the keys and the shapes.
import Foundation

public enum CheckpointError: LocalizedError {
    case notFound(String)
    case pickleCheckpoint(String)
    case unrecognizedFormat(path: String, reason: String)
    case missingComponent(model: String, path: String)
    case invalidConfig(path: String, reason: String)
    case invalidWeights(model: String, origin: String, missing: [String], mismatched: [String], unexpected: [String])
    case several([CheckpointError])

    public var errorDescription: String? {
        switch self {
        case .notFound(let path):
            return "No model at \(path): give a single-file .safetensors checkpoint or a diffusers folder (with model_index.json)."
        case .pickleCheckpoint(let path):
            return """
                \(path) is a PyTorch pickle (.ckpt/.pt/.bin), which Attune does not load (unpickling runs arbitrary code). \
                Convert it once with Python: `python3 -c "import torch, safetensors.torch as st; \
                sd = torch.load('\(path)', map_location='cpu', weights_only=True); sd = sd.get('state_dict', sd); \
                st.save_file({k: v.contiguous() for k, v in sd.items() if hasattr(v, 'contiguous')}, '\(path).safetensors')"` \
                and pass the .safetensors file.
                """
        case .unrecognizedFormat(let path, let reason):
            return "\(path) is not a Stable Diffusion 1.x checkpoint: \(reason)"
        case .missingComponent(let model, let path):
            return "The diffusers folder \(path) has no \(model) (expected \(path)/\(model)/config.json and its weights)."
        case .invalidConfig(let path, let reason):
            return "Bad model configuration \(path): \(reason)"
        case .invalidWeights(let model, let origin, let missing, let mismatched, let unexpected):
            var lines = ["The \(model) weights in \(origin) do not fit the model:"]
            func list(_ title: String, _ items: [String]) {
                guard !items.isEmpty else { return }
                let shown = items.prefix(12).joined(separator: "\n    ")
                lines.append("  \(title) (\(items.count)):\n    \(shown)\(items.count > 12 ? "\n    ... and \(items.count - 12) more" : "")")
            }
            list("missing keys", missing)
            list("shape mismatches", mismatched)
            list("unexpected keys", unexpected)
            return lines.joined(separator: "\n")
        case .several(let errors):
            return errors.compactMap(\.errorDescription).joined(separator: "\n")
        }
    }
}
