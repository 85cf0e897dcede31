// Named tensors handed to model constructors, with bookkeeping: every parameter is taken exactly
// once with the expected shape, and all problems are collected so one error names every missing,
// misshapen and unused key (tinygrad's "Shape mismatch in layer" idea, but all at once).
import AttuneTensor
import Foundation

public final class WeightStore {
    /// Where the weights came from, for error messages.
    public let origin: String
    private var tensors: [String: Tensor]
    private var used: Set<String> = []
    private(set) var missing: [String] = []
    private(set) var mismatched: [(key: String, expected: [Int], found: [Int])] = []

    /// Creates missing tensors on demand instead of recording them (benchmarks build full-size models
    /// with random weights this way, no file needed).
    private let generate: ((String, [Int]) -> Tensor)?

    public init(_ tensors: [String: Tensor], origin: String) {
        self.tensors = tensors
        self.origin = origin
        generate = nil
    }

    public init(generating: @escaping (_ key: String, _ shape: [Int]) -> Tensor, origin: String) {
        tensors = [:]
        self.origin = origin
        generate = generating
    }

    public var keys: [String] { tensors.keys.sorted() }

    public func contains(_ key: String) -> Bool { tensors[key] != nil }

    /// The tensor stored under `key`, which must have `shape`. Problems are recorded, and a zero tensor of
    /// the expected shape stands in so that construction can go on and report everything at the end.
    public func take(_ key: String, _ shape: [Int]) -> Tensor {
        if let generate, tensors[key] == nil { tensors[key] = generate(key, shape) }
        guard let t = tensors[key] else {
            missing.append(key)
            return Tensor(zeros: shape)
        }
        used.insert(key)
        if t.shape != shape {
            // A [C, C, 1, 1] conv weight and a [C, C] linear weight are the same matrix (LDM vs diffusers VAE attention).
            if t.count == shape.reduce(1, *), t.shape.filter({ $0 != 1 }) == shape.filter({ $0 != 1 }) {
                return t.reshaped(shape)
            }
            mismatched.append((key, shape, t.shape))
            return Tensor(zeros: shape)
        }
        return t
    }

    /// Keys nobody took, excluding those matching `ignoring` (buffers such as position_ids).
    public func unusedKeys(ignoring ignored: (String) -> Bool = { _ in false }) -> [String] {
        tensors.keys.filter { !used.contains($0) && !ignored($0) }.sorted()
    }

    /// Throws one error listing every missing key, shape mismatch and (if `strict`) unused key.
    public func verify(model: String, strict: Bool = true, ignoring ignored: (String) -> Bool = { _ in false }) throws {
        let unused = strict ? unusedKeys(ignoring: ignored) : []
        if missing.isEmpty && mismatched.isEmpty && unused.isEmpty { return }
        throw CheckpointError.invalidWeights(
            model: model, origin: origin, missing: missing,
            mismatched: mismatched.map { "\($0.key): expected \($0.expected), found \($0.found)" },
            unexpected: unused)
    }

    /// Drops the tensors so their memory can go once the model holds what it needs.
    public func release() { tensors.removeAll() }
}
