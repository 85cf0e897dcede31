// Theme styles as curses attributes and colour pairs: RGB colours go to the xterm 256-colour cube (or the 8
// basic colours on small terminals), pairs are allocated on first use.
import CCurses

final class CursesColors {
    private let enabled: Bool
    private let colorCount: Int
    private var pairs: [PairKey: Int32] = [:]

    private struct PairKey: Hashable {
        let foreground: Int32
        let background: Int32
    }

    init(enabled: Bool) {
        self.enabled = enabled
        if enabled {
            start_color()
            use_default_colors()
        }
        colorCount = enabled ? Int(attune_colors()) : 0
    }

    func apply(_ style: TextStyle, to window: UnsafeMutablePointer<WINDOW>) {
        var attributes: Int32 = attune_attr_normal()
        if style.modifiers.contains(.bold) { attributes |= attune_attr_bold() }
        if style.modifiers.contains(.dim) { attributes |= attune_attr_dim() }
        if style.modifiers.contains(.underline) { attributes |= attune_attr_underline() }
        if style.modifiers.contains(.reverse) { attributes |= attune_attr_reverse() }
        var pair = self.pair(for: style)
        wattr_set(window, attr_t(UInt32(bitPattern: attributes)), Int16(truncatingIfNeeded: min(pair, 32767)), &pair)
    }

    private func pair(for style: TextStyle) -> Int32 {
        guard enabled else { return 0 }
        let key = PairKey(foreground: number(style.foreground), background: number(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        let pair = Int32(pairs.count + 1)
        guard pair < attune_color_pairs() else { return 0 }
        init_extended_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return pair
    }

    /// The curses colour number for a theme colour; -1 is the terminal's default.
    private func number(_ color: TerminalColor?) -> Int32 {
        switch color {
        case nil, .terminalDefault?: return -1
        case .ansi(let n)?: return Int32(colorCount >= 16 ? n : n % 8)
        case .rgb(let rgb)?:
            if colorCount >= 256 { return Int32(XTermPalette.index(of: rgb)) }
            // Eight colours: one bit per channel at half intensity.
            return Int32((rgb.r > 127 ? 1 : 0) | (rgb.g > 127 ? 2 : 0) | (rgb.b > 127 ? 4 : 0))
        }
    }
}
