// Whether a record describes an edit that can run: required settings present and every number in its range.
// Kept apart from reading so that an unfinished workbench session still loads.

extension EditRecord {
    /// CLIP's context length: token indices run 0..<77.
    public static let tokenCount = 77

    public func validate() throws {
        if sourceImage == nil && seed == nil {
            throw EditRecordError.missing(key: "[source] image or seed", reason: "give a picture to edit, or a seed to generate one")
        }
        if targetPrompt.allSatisfy(\.isWhitespace) {
            throw EditRecordError.missing(key: "[prompts] target", reason: "the prompt that describes the edited picture")
        }
        try check("[sampling] steps", steps, in: 1...1000)
        try check("[sampling] guidance", guidance, in: 0...100)
        for (key, size) in [("[sampling] width", width), ("[sampling] height", height)] {
            try check(key, size, in: 64...2048)
            if size % 8 != 0 {
                throw EditRecordError.outOfRange(key: key, value: String(size), allowed: "multiples of 8 (the VAE downsamples by 8)")
            }
        }
        // S only matters to the methods that start at a step (Prompt-to-Prompt and FPE use fractions).
        if method == .masactrl || method == .mcactrl {
            try check("[method] start_step (S)", startStep, in: 0...steps, "0...\(steps), the step count")
        }
        try check("[method] start_layer (L)", startLayer, in: 0...Self.transformerBlockCount, "0...16, the transformer blocks")
        if let endStep { try check("[method] end_step", endStep, in: startStep...steps, "S...steps = \(startStep)...\(steps)") }
        if let endLayer {
            try check("[method] end_layer", endLayer, in: startLayer...Self.transformerBlockCount, "L...16 = \(startLayer)...16")
        }
        try check("[method] self_replace_fraction", selfReplaceFraction, in: 0...1)
        try check("[method] cross_replace_fraction", crossReplaceFraction, in: 0...1)
        try checkInterval("sagi", mcaSAGIStart, mcaSAGIEnd)
        try checkInterval("salq", mcaSALQStart, mcaSALQEnd)
        try check("[mask] threshold", maskThreshold, in: 0...1)
        try check("[mask] dilation", maskDilation, in: 0...64)
        if let fusionSteps { try check("[method] fusion_steps", fusionSteps, in: 0...steps, "0...\(steps), the step count") }
        if let variant, !method.variants.contains(variant) {
            throw EditRecordError.outOfRange(key: "[method] variant", value: variant,
                                             allowed: method.variants.isEmpty ? "none for \(method.rawValue)" : method.variants.joined(separator: ", "))
        }
        if let maskToken { try check("[mask] token", maskToken, in: 0...(Self.tokenCount - 1)) }
        try check("[adapter] strength", conditionStrength, in: 0...10)
        if condition != nil && adapter == nil {
            throw EditRecordError.missing(key: "[adapter] path", reason: "a condition picture needs T2I-Adapter weights")
        }
        switch method {
        case .mcactrl where subjectImage == nil:
            throw EditRecordError.missing(key: "[subject] image", reason: "MCA-Ctrl takes the subject from a picture")
        case .masafusion where mask == nil && variant != "embctrl":
            throw EditRecordError.missing(key: "[mask] path (MaSaFusion's A)", reason: "MaSaFusion fuses inside a mask: draw or import one")
        default:
            break
        }
    }

    private func check<T: Comparable>(_ key: String, _ value: T, in range: ClosedRange<T>, _ allowed: String? = nil) throws {
        guard range.contains(value) else {
            throw EditRecordError.outOfRange(
                key: key, value: "\(value)", allowed: allowed ?? "\(range.lowerBound)...\(range.upperBound)")
        }
    }

    private func check(_ key: String, _ value: Double, in range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw EditRecordError.outOfRange(key: key, value: "\(value)", allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// An MCA-Ctrl step interval [start, end) within the step count.
    private func checkInterval(_ name: String, _ start: Int?, _ end: Int?) throws {
        let low = start ?? 0
        if let start { try check("[method] \(name)_start", start, in: 0...steps, "0...\(steps), the step count") }
        if let end { try check("[method] \(name)_end", end, in: low...steps, "\(low)...\(steps)") }
    }
}
