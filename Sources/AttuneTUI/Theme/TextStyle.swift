// How a piece of text looks: foreground and background colour plus modifiers (bold, reverse, …).

public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own default (transparent terminals keep their background).
    case terminalDefault
    /// One of the 16 system colours (0 black … 7 white, 8–15 bright).
    case ansi(Int)
    case rgb(RGB)

    static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
        "bright-white",
    ]

    /// The usual VGA values of the system colours, for tinting pictures with a themed colour.
    private static let ansiRGB: [RGB] = [
        RGB(0, 0, 0), RGB(170, 0, 0), RGB(0, 170, 0), RGB(170, 85, 0), RGB(0, 0, 170), RGB(170, 0, 170),
        RGB(0, 170, 170), RGB(170, 170, 170), RGB(85, 85, 85), RGB(255, 85, 85), RGB(85, 255, 85),
        RGB(255, 255, 85), RGB(85, 85, 255), RGB(255, 85, 255), RGB(85, 255, 255), RGB(255, 255, 255),
    ]

    public func approximateRGB(default fallback: RGB) -> RGB {
        switch self {
        case .terminalDefault: fallback
        case .ansi(let n): Self.ansiRGB[min(max(n, 0), 15)]
        case .rgb(let rgb): rgb
        }
    }

    /// Parses "#rrggbb", "default" or an ANSI colour name.
    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "default" {
            self = .terminalDefault
        } else if let index = Self.ansiNames.firstIndex(of: lower) {
            self = .ansi(index)
        } else if lower.hasPrefix("#"), lower.count == 7, let value = UInt32(lower.dropFirst(), radix: 16) {
            self = .rgb(RGB(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)))
        } else {
            return nil
        }
    }
}

public struct TextModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextModifiers(rawValue: 1)
    public static let dim = TextModifiers(rawValue: 2)
    public static let italic = TextModifiers(rawValue: 4)
    public static let underline = TextModifiers(rawValue: 8)
    public static let reverse = TextModifiers(rawValue: 16)

    static let names: [(String, TextModifiers)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]
}

public struct TextStyle: Hashable, Sendable {
    public var foreground: TerminalColor?
    public var background: TerminalColor?
    public var modifiers: TextModifiers

    public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, modifiers: TextModifiers = []) {
        self.foreground = foreground
        self.background = background
        self.modifiers = modifiers
    }

    public static let plain = TextStyle()

    /// `other` drawn over `self`: its colours where set, modifiers combined.
    public func patched(with other: TextStyle) -> TextStyle {
        TextStyle(
            foreground: other.foreground ?? foreground, background: other.background ?? background,
            modifiers: modifiers.union(other.modifiers))
    }
}
