// A TOML table: string keys in insertion order, so that written files keep a stable, readable layout.

public struct TOMLTable: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Entries in insertion order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.compactMap { key in storage[key].map { (key, $0) } }
    }

    /// Equal when the same keys hold equal values; key order does not matter (as in TOML itself).
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool { lhs.storage == rhs.storage }
}

extension TOMLTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        for (key, value) in elements { self[key] = value }
    }
}

extension TOMLValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        var table = TOMLTable()
        for (key, value) in elements { table[key] = value }
        self = .table(table)
    }
}
