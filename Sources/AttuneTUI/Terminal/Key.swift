// Keys as the workbench sees them, with the names keymap.toml and the help overlay use
// ("a", "A", "?", "space", "ctrl-s", "shift-tab", "left", "f1", …).

public enum Key: Hashable, Sendable {
    /// A printable character (space included).
    case character(Character)
    /// Ctrl plus a letter, stored lowercase.
    case control(Character)
    case up, down, left, right
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case home, end, pageUp, pageDown
    case enter, tab, backTab, escape, backspace, delete, insert
    case function(Int)

    private static let named: [(String, Key)] = [
        ("space", .character(" ")), ("enter", .enter), ("tab", .tab), ("shift-tab", .backTab), ("esc", .escape),
        ("backspace", .backspace), ("delete", .delete), ("insert", .insert),
        ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("shift-up", .shiftUp), ("shift-down", .shiftDown), ("shift-left", .shiftLeft), ("shift-right", .shiftRight),
        ("home", .home), ("end", .end), ("pageup", .pageUp), ("pagedown", .pageDown),
    ]

    /// Parses a key name; nil for names that mean nothing.
    public init?(name: String) {
        if let match = Self.named.first(where: { $0.0 == name.lowercased() }) {
            self = match.1
        } else if name.count == 1, let c = name.first, !c.isWhitespace, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
            self = .character(c)
        } else if name.lowercased().hasPrefix("ctrl-"), name.count == 6, let c = name.last?.lowercased().first, c.isLetter, c.isASCII {
            self = .control(c)
        } else if name.lowercased().hasPrefix("f"), let n = Int(name.dropFirst()), (1...24).contains(n) {
            self = .function(n)
        } else {
            return nil
        }
    }

    public var name: String {
        switch self {
        case .character(let c): return c == " " ? "space" : String(c)
        case .control(let c): return "ctrl-\(c)"
        case .function(let n): return "f\(n)"
        default: return Self.named.first(where: { $0.1 == self })?.0 ?? "?"
        }
    }

    /// How the help overlay and status line show the key.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .control(let c): "C-\(c)"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .shiftUp: "S-↑"
        case .shiftDown: "S-↓"
        case .shiftLeft: "S-←"
        case .shiftRight: "S-→"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .escape: "Esc"
        case .backspace: "BS"
        case .delete: "Del"
        case .function(let n): "F\(n)"
        default: name
        }
    }
}

/// A mouse report in cell coordinates.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case press, drag, release, scrollUp, scrollDown
    }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// What the terminal delivers to the workbench.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize
}
