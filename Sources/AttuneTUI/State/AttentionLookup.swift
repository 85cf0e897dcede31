// Picking the attention field the inspector shows (and the mask editor seeds from) out of a run's maps:
// the chosen kind, branch and resolution, at the chosen step or averaged over all recorded steps.

/// A square scalar field, `side`×`side`, row-major.
public struct AttentionField: Equatable, Sendable {
    public let side: Int
    public let values: [Float]
}

extension InspectorState {
    /// The branch whose maps belong to a prompt: the source prompt drives the source branch, the target prompt
    /// the target branch; other prompts have no cross-attention maps of their own.
    public static func branch(of field: PromptField) -> AttentionBranch? {
        switch field {
        case .source: .source
        case .target: .target
        case .negative, .subject: nil
        }
    }

    /// How much each pixel attends to `token` (cross-attention).
    public func crossAttention(token: Int, branch: AttentionBranch) -> AttentionField? {
        field(kind: .cross, branch: branch) { $0.column(token) }
    }

    /// Where the inspector's pixel looks (self-attention of the target branch).
    public func selfAttention(branch: AttentionBranch = .target) -> AttentionField? {
        let x = min(resolution - 1, Int(pixel.x * Double(resolution)))
        let y = min(resolution - 1, Int(pixel.y * Double(resolution)))
        return field(kind: .self, branch: branch) { $0.row(y * resolution + x) }
    }

    /// The recorded steps for the current kind and resolution, for the step selector.
    public var recordedSteps: [Int] {
        Array(Set(maps.filter { $0.kind == kind && $0.resolution == resolution }.map(\.step))).sorted()
    }

    private func field(kind: AttentionKind, branch: AttentionBranch, _ extract: (AttentionMap) -> [Float]) -> AttentionField? {
        let candidates = maps.filter {
            $0.kind == kind && $0.branch == branch && $0.resolution == resolution && (step == nil || $0.step == step)
        }
        guard let first = candidates.first else { return nil }
        var sum = extract(first)
        for map in candidates.dropFirst() {
            for (i, v) in extract(map).enumerated() { sum[i] += v }
        }
        let scale = 1 / Float(candidates.count)
        let side = kind == .cross ? resolution : Int(Double(first.keyCount).squareRoot())
        return AttentionField(side: side, values: sum.map { $0 * scale })
    }
}
