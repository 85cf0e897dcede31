// A TOML 1.0 value. Dates and times are kept as their source text (validated, not interpreted):
// Attune's files never need calendar arithmetic, and round-tripping the text loses nothing.

public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// An offset date-time, local date-time, local date or local time, as written (e.g. "1979-05-27T07:32:00Z").
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML name of this value's type, for error messages ("expected integer, found string").
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }

    /// "an integer", "a table": for messages.
    public var typeWithArticle: String {
        let name = typeName
        return (name.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + name
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var integerValue: Int64? { if case .integer(let i) = self { i } else { nil } }
    /// Floats, and integers widened to Double (TOML writers often drop the ".0").
    public var doubleValue: Double? {
        switch self {
        case .float(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
    public var boolValue: Bool? { if case .boolean(let b) = self { b } else { nil } }
    public var arrayValue: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    public var tableValue: TOMLTable? { if case .table(let t) = self { t } else { nil } }
}

extension TOMLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: TOMLValue...) { self = .array(elements) }
}
