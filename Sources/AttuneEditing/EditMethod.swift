// The attention-control editing methods Attune implements, by the names records and the CLI use.

public enum EditMethod: String, CaseIterable, Sendable {
    /// MasaCtrl: mutual self-attention from step S and layer L (Cao et al., ICCV 2023).
    case masactrl
    /// Free-Prompt-Editing: self-attention map replacement for the first τ of the steps (Liu et al., CVPR 2024).
    case fpe
    /// MaSaFusion: masked self-attention fusion with an adapter-guided intermediate image (arXiv 2405.15313).
    case masafusion
    /// MCA-Ctrl: subject/condition/target branches with SAGI and SALQ (CVPR 2025).
    case mcactrl
    /// Prompt-to-Prompt: cross- and self-attention replacement (Hertz et al., 2022).
    case p2p

    /// The forms a method comes in ([method] variant); the first is the default.
    public var variants: [String] {
        switch self {
        case .mcactrl: ["replace", "add", "generate"]
        case .masafusion: ["fusion", "embctrl"]
        case .masactrl, .fpe, .p2p: []
        }
    }

    public var displayName: String {
        switch self {
        case .masactrl: "MasaCtrl"
        case .fpe: "Free-Prompt-Editing"
        case .masafusion: "MaSaFusion"
        case .mcactrl: "MCA-Ctrl"
        case .p2p: "Prompt-to-Prompt"
        }
    }
}

/// Prompt-to-Prompt's two edit kinds: swap words of equal token count, or add/refine words (aligned tokens).
public enum P2PMode: String, CaseIterable, Sendable {
    case replace
    case refine
}
