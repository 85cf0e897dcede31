// The settings whose defaults differ by method, as each method's reference code sets them.
extension EditRecord {
    /// Settings with a method-specific default.
    public enum MethodSetting: Hashable, Sendable {
        case startLayer, selfReplaceFraction, crossReplaceFraction
    }

    /// Sets `method`'s reference defaults, except for the settings in `keeping`: Prompt-to-Prompt replaces
    /// cross-attention for 0.8 of the steps and self-attention for 0.4 (the others use 0.4 and FPE's 0.8);
    /// MCA-Ctrl's SALQ starts at block 9 on pictures and at block 0 when it generates (MasaCtrl's L is 10).
    public mutating func applyDefaults(of method: EditMethod, keeping: Set<MethodSetting> = []) {
        if !keeping.contains(.startLayer) { startLayer = method == .mcactrl ? (sourceImage == nil ? 0 : 9) : 10 }
        if !keeping.contains(.selfReplaceFraction) { selfReplaceFraction = method == .p2p ? 0.4 : 0.8 }
        if !keeping.contains(.crossReplaceFraction) { crossReplaceFraction = method == .p2p ? 0.8 : 0.4 }
    }
}
