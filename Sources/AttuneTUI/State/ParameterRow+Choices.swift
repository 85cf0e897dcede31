// The parameter rows that are not numbers: the method's variant (MCA-Ctrl replace/add/generate, MaSaFusion
// fusion/embctrl), cycled with ←/→, and the pictures and weights a method takes from files (MCA-Ctrl's
// subject, MaSaFusion's condition sketch and T2I-Adapter), typed as paths with Enter or, for pictures, set
// from the Source panel (u, c). Backspace clears them back to the default.
import AttuneEditing
import Foundation

extension ParameterRow {
    /// The variant a record without one runs (EditSession's rule).
    static func defaultVariant(_ r: EditRecord) -> String? {
        switch r.method {
        case .mcactrl: r.sourceImage == nil ? "generate" : "replace"
        case .masafusion: "fusion"
        case .masactrl, .fpe, .p2p: nil
        }
    }

    func choiceText(_ r: EditRecord) -> String {
        switch self {
        case .variant: return r.variant ?? Self.defaultVariant(r).map { "\($0) (default)" } ?? "none"
        case .subjectImage: return r.subjectImage?.lastPathComponent ?? "none: u in Source picks one"
        case .conditionImage: return r.condition?.lastPathComponent ?? "none: c in Source picks one"
        case .adapter: return r.adapter?.lastPathComponent ?? "none: Enter types a path"
        default: return ""
        }
    }

    /// What Enter puts in the field to edit: the whole path of a file row.
    func entryText(_ r: EditRecord) -> String {
        switch self {
        case .variant: r.variant ?? Self.defaultVariant(r) ?? ""
        case .subjectImage: r.subjectImage?.path ?? ""
        case .conditionImage: r.condition?.path ?? ""
        case .adapter: r.adapter?.path ?? ""
        default: ""
        }
    }

    /// ←/→ on the variant row steps through the default and the method's variants; file rows do not move.
    func choiceAdjusted(_ r: EditRecord, by delta: Int) -> EditRecord {
        guard self == .variant else { return r }
        let choices: [String?] = [nil] + r.method.variants.map { Optional($0) }
        let index = choices.firstIndex(of: r.variant) ?? 0
        var out = r
        out.variant = choices[((index + delta) % choices.count + choices.count) % choices.count]
        return out
    }

    /// A typed variant name, or a path (empty clears; "~" and relative paths are expanded).
    func choiceParsing(_ text: String, in r: EditRecord) -> Result<EditRecord, ParameterEntryError> {
        var out = r
        if self == .variant {
            guard text.isEmpty || r.method.variants.contains(text.lowercased()) else {
                let known = r.method.variants.isEmpty ? "none for \(r.method.displayName)" : r.method.variants.joined(separator: ", ")
                return .failure(ParameterEntryError(row: self, text: text, expected: known))
            }
            out.variant = text.isEmpty ? nil : text.lowercased()
            return .success(out)
        }
        let url = text.isEmpty ? nil : URL(fileURLWithPath: NSString(string: text).expandingTildeInPath).standardizedFileURL
        switch self {
        case .subjectImage: out.subjectImage = url
        case .conditionImage: out.condition = url
        case .adapter: out.adapter = url
        default: break
        }
        return .success(out)
    }
}
