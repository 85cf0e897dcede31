// The Prompts panel's state: one text field per prompt, which is selected or being edited, and the picked token.
import AttuneEditing

public enum PromptField: String, CaseIterable, Sendable {
    case source, target, negative, subject

    /// MCA-Ctrl's source is the condition scene and it adds a subject prompt; other methods have no subject.
    public static func fields(for method: EditMethod) -> [PromptField] {
        method == .mcactrl ? [.source, .target, .subject, .negative] : [.source, .target, .negative]
    }

    public func label(for method: EditMethod) -> String {
        switch self {
        case .source: method == .mcactrl ? "condition" : "source"
        case .target: "target"
        case .negative: "negative"
        case .subject: "subject"
        }
    }
}

/// A token of one prompt, picked for attention maps and masks.
public struct TokenSelection: Equatable, Sendable {
    public var field: PromptField
    public var index: Int
    public init(field: PromptField, index: Int) {
        self.field = field
        self.index = index
    }
}

public struct PromptsState: Equatable, Sendable {
    public var fields: [PromptField: TextField] = Dictionary(uniqueKeysWithValues: PromptField.allCases.map { ($0, TextField()) })
    public var selected: PromptField = .source
    public var editing = false
    /// The field's text when editing began, to tell whether finishing changed anything.
    public var textBeforeEditing = ""
    public var token: TokenSelection?

    public func text(_ field: PromptField) -> String { fields[field]?.text ?? "" }
}
