// The rows of the Method & parameters panel: which rows each method shows, how each reads, steps and
// bounds its value in the edit record (S in 0...steps, L in 0...16, fractions in 0...1, …). The variant and
// picture rows are in ParameterRow+Choices.swift.
import AttuneEditing
import Foundation

public enum ParameterRow: String, CaseIterable, Sendable {
    case method, startStep, startLayer, steps, guidance, seed, maskThreshold, pinSource
    case endStep, endLayer, selfReplaceFraction, crossReplaceFraction, p2pMode
    case sagiStart, sagiEnd, salqStart, salqEnd, conditionStrength, fusionSteps
    case variant, subjectImage, conditionImage, adapter

    /// The rows shown for `method`: the shared ones, then the method's own.
    public static func rows(for method: EditMethod) -> [ParameterRow] {
        let shared: [ParameterRow] = [.method, .startStep, .startLayer, .steps, .guidance, .seed, .maskThreshold, .pinSource]
        switch method {
        case .masactrl: return shared + [.endStep, .endLayer]
        case .fpe: return shared + [.selfReplaceFraction]
        case .masafusion: return shared + [.variant, .fusionSteps, .conditionImage, .adapter, .conditionStrength]
        case .mcactrl: return shared + [.variant, .subjectImage, .sagiStart, .sagiEnd, .salqStart, .salqEnd, .endLayer]
        case .p2p: return shared + [.selfReplaceFraction, .crossReplaceFraction, .p2pMode]
        }
    }

    public var label: String {
        switch self {
        case .method: "method"
        case .startStep: "S start step"
        case .startLayer: "L start layer"
        case .steps: "steps"
        case .guidance: "guidance"
        case .seed: "seed"
        case .maskThreshold: "mask threshold"
        case .pinSource: "pin source"
        case .endStep: "end step"
        case .endLayer: "end layer"
        case .selfReplaceFraction: "self τ"
        case .crossReplaceFraction: "cross τ"
        case .p2pMode: "P2P mode"
        case .sagiStart: "SAGI start"
        case .sagiEnd: "SAGI end"
        case .salqStart: "SALQ start"
        case .salqEnd: "SALQ end"
        case .conditionStrength: "adapter strength"
        case .fusionSteps: "fusion steps"
        case .variant: "variant"
        case .subjectImage: "subject image"
        case .conditionImage: "condition image"
        case .adapter: "adapter weights"
        }
    }

    /// Bounds of a numeric row, for the slider and for clamping.
    public func bounds(_ r: EditRecord) -> ClosedRange<Double>? {
        let steps = Double(r.steps), blocks = Double(EditRecord.transformerBlockCount)
        switch self {
        case .startStep: return 0...steps
        case .startLayer: return 0...blocks
        case .steps: return 1...1000
        case .guidance: return 0...30
        case .maskThreshold, .selfReplaceFraction, .crossReplaceFraction: return 0...1
        // A session may hold S past its step count (or L past the blocks); the range then shrinks to its end.
        case .endStep: return min(Double(r.startStep), steps)...steps
        case .endLayer: return min(Double(r.startLayer), blocks)...blocks
        case .sagiStart, .sagiEnd, .salqStart, .salqEnd, .fusionSteps: return 0...steps
        case .conditionStrength: return 0...2
        case .method, .seed, .pinSource, .p2pMode, .variant, .subjectImage, .conditionImage, .adapter: return nil
        }
    }

    /// The row's value as a number (optional rows show their effective default).
    public func number(_ r: EditRecord) -> Double? {
        switch self {
        case .startStep: Double(r.startStep)
        case .startLayer: Double(r.startLayer)
        case .steps: Double(r.steps)
        case .guidance: r.guidance
        case .maskThreshold: r.maskThreshold
        case .selfReplaceFraction: r.selfReplaceFraction
        case .crossReplaceFraction: r.crossReplaceFraction
        case .endStep: Double(r.endStep ?? r.steps)
        case .endLayer: Double(r.endLayer ?? EditRecord.transformerBlockCount)
        case .sagiStart: Double(r.mcaSAGIStart ?? 0)
        case .sagiEnd: Double(r.mcaSAGIEnd ?? r.steps / 10)
        case .salqStart: Double(r.mcaSALQStart ?? r.startStep)
        case .salqEnd: Double(r.mcaSALQEnd ?? r.steps)
        case .conditionStrength: r.conditionStrength
        case .fusionSteps: Double(r.fusionSteps ?? r.steps)
        case .method, .seed, .pinSource, .p2pMode, .variant, .subjectImage, .conditionImage, .adapter: nil
        }
    }

    public func valueText(_ r: EditRecord) -> String {
        switch self {
        case .method: return r.method.displayName
        case .seed: return r.seed.map(String.init) ?? "none"
        case .pinSource: return r.pinSource ? "on" : "off"
        case .p2pMode: return r.p2pMode.rawValue
        case .variant, .subjectImage, .conditionImage, .adapter: return choiceText(r)
        case .guidance, .maskThreshold, .selfReplaceFraction, .crossReplaceFraction, .conditionStrength:
            return number(r).map { String(format: "%.2f", $0) } ?? ""
        default:
            let text = number(r).map { String(Int($0)) } ?? ""
            return isUnset(r) ? "\(text) (default)" : text
        }
    }

    /// Optional rows left at the method's default.
    public func isUnset(_ r: EditRecord) -> Bool {
        switch self {
        case .endStep: r.endStep == nil
        case .endLayer: r.endLayer == nil
        case .sagiStart: r.mcaSAGIStart == nil
        case .sagiEnd: r.mcaSAGIEnd == nil
        case .salqStart: r.mcaSALQStart == nil
        case .salqEnd: r.mcaSALQEnd == nil
        case .fusionSteps: r.fusionSteps == nil
        case .variant: r.variant == nil
        case .subjectImage: r.subjectImage == nil
        case .conditionImage: r.condition == nil
        case .adapter: r.adapter == nil
        default: false
        }
    }

    /// One press of ←/→ (`coarse`: Shift-←/→), clamped to the row's bounds.
    public func adjusted(_ r: EditRecord, by delta: Int, coarse: Bool) -> EditRecord {
        switch self {
        case .method:
            let all = EditMethod.allCases
            let index = all.firstIndex(of: r.method) ?? 0
            var out = r
            out.method = all[((index + delta) % all.count + all.count) % all.count]
            out.applyDefaults(of: out.method)
            return out
        case .seed:
            var out = r
            let step = UInt64(coarse ? 1000 : 1)
            let seed = r.seed ?? 0
            out.seed = delta >= 0 ? seed &+ step * UInt64(delta) : seed &- step * UInt64(-delta)
            return out
        case .pinSource:
            var out = r
            out.pinSource.toggle()
            return out
        case .p2pMode:
            var out = r
            out.p2pMode = r.p2pMode == .replace ? .refine : .replace
            return out
        case .variant, .subjectImage, .conditionImage, .adapter:
            return choiceAdjusted(r, by: delta)
        default:
            guard let value = number(r) else { return r }
            return setting(value + Double(delta) * increment(coarse: coarse), in: r)
        }
    }

    private func increment(coarse: Bool) -> Double {
        switch self {
        case .steps: coarse ? 10 : 1
        case .guidance: coarse ? 2.5 : 0.5
        case .maskThreshold, .selfReplaceFraction, .crossReplaceFraction, .conditionStrength: coarse ? 0.25 : 0.05
        default: coarse ? 5 : 1
        }
    }

    /// Sets a numeric row, clamped to its bounds (and S, L and intervals re-clamped when the step count changes).
    public func setting(_ value: Double, in r: EditRecord) -> EditRecord {
        var out = r
        let v = bounds(r).map { min(max(value, $0.lowerBound), $0.upperBound) } ?? value
        let i = Int(v.rounded())
        switch self {
        case .startStep: out.startStep = i
        case .startLayer: out.startLayer = i
        case .steps: out.steps = i
        case .guidance: out.guidance = (v * 100).rounded() / 100
        case .maskThreshold: out.maskThreshold = (v * 100).rounded() / 100
        case .selfReplaceFraction: out.selfReplaceFraction = (v * 100).rounded() / 100
        case .crossReplaceFraction: out.crossReplaceFraction = (v * 100).rounded() / 100
        case .conditionStrength: out.conditionStrength = (v * 100).rounded() / 100
        case .endStep: out.endStep = i
        case .endLayer: out.endLayer = i
        case .sagiStart: out.mcaSAGIStart = i
        case .sagiEnd: out.mcaSAGIEnd = i
        case .salqStart: out.mcaSALQStart = i
        case .salqEnd: out.mcaSALQEnd = i
        case .fusionSteps: out.fusionSteps = i
        case .method, .seed, .pinSource, .p2pMode, .variant, .subjectImage, .conditionImage, .adapter: break
        }
        return out.keptWithinSteps()
    }

    /// Typed entry: a number for numeric rows, a whole number for the seed, a method or mode name.
    public func parsing(_ text: String, in r: EditRecord) -> Result<EditRecord, ParameterEntryError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var out = r
        switch self {
        case .method:
            guard let method = EditMethod(rawValue: trimmed.lowercased()) else {
                return .failure(ParameterEntryError(row: self, text: trimmed, expected: EditMethod.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            out.method = method
        case .seed:
            guard let seed = UInt64(trimmed) else {
                return .failure(ParameterEntryError(row: self, text: trimmed, expected: "a whole number in 0...\(UInt64.max)"))
            }
            out.seed = seed
        case .pinSource:
            guard ["on", "off", "true", "false"].contains(trimmed.lowercased()) else {
                return .failure(ParameterEntryError(row: self, text: trimmed, expected: "on or off"))
            }
            out.pinSource = ["on", "true"].contains(trimmed.lowercased())
        case .p2pMode:
            guard let mode = P2PMode(rawValue: trimmed.lowercased()) else {
                return .failure(ParameterEntryError(row: self, text: trimmed, expected: "replace or refine"))
            }
            out.p2pMode = mode
        case .variant, .subjectImage, .conditionImage, .adapter:
            return choiceParsing(trimmed, in: r)
        default:
            guard let value = Double(trimmed), value.isFinite, let range = bounds(r), range.contains(value) else {
                let range = bounds(r).map { "\(Self.format($0.lowerBound))...\(Self.format($0.upperBound))" } ?? ""
                return .failure(ParameterEntryError(row: self, text: trimmed, expected: "a number in \(range)"))
            }
            out = setting(value, in: r)
        }
        return .success(out)
    }

    /// Back to the default: optional rows become unset, others take EditRecord's default value.
    public func reset(_ r: EditRecord) -> EditRecord {
        var out = r
        let defaults = EditRecord()
        switch self {
        case .endStep: out.endStep = nil
        case .endLayer: out.endLayer = nil
        case .sagiStart: out.mcaSAGIStart = nil
        case .sagiEnd: out.mcaSAGIEnd = nil
        case .salqStart: out.mcaSALQStart = nil
        case .salqEnd: out.mcaSALQEnd = nil
        case .fusionSteps: out.fusionSteps = nil
        case .variant: out.variant = nil
        case .subjectImage: out.subjectImage = nil
        case .conditionImage: out.condition = nil
        case .adapter: out.adapter = nil
        case .method:
            out.method = defaults.method
            out.applyDefaults(of: out.method)
        case .seed: out.seed = 0
        case .pinSource: out.pinSource = defaults.pinSource
        case .p2pMode: out.p2pMode = defaults.p2pMode
        default: out = setting(number(defaults) ?? 0, in: r)
        }
        return out.keptWithinSteps()
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

public struct ParameterEntryError: Error, Equatable, Sendable {
    public let row: ParameterRow
    public let text: String
    public let expected: String
    public var message: String { "\(row.label): '\(text)' is not valid (expected \(expected))" }
}

extension EditRecord {
    /// S and the step-based intervals clamped into 0...steps, after the step count changed.
    func keptWithinSteps() -> EditRecord {
        var out = self
        out.startStep = min(startStep, steps)
        out.endStep = endStep.map { min(max($0, out.startStep), steps) }
        out.endLayer = endLayer.map { max($0, startLayer) }
        out.mcaSAGIStart = mcaSAGIStart.map { min($0, steps) }
        out.mcaSAGIEnd = mcaSAGIEnd.map { min(max($0, out.mcaSAGIStart ?? 0), steps) }
        out.mcaSALQStart = mcaSALQStart.map { min($0, steps) }
        out.mcaSALQEnd = mcaSALQEnd.map { min(max($0, out.mcaSALQStart ?? 0), steps) }
        out.fusionSteps = fusionSteps.map { min($0, steps) }
        return out
    }
}
