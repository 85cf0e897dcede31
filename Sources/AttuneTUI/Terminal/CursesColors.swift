// Theme styles as curses attributes and colour pairs: RGB colours go to the xterm 256-colour cube (or the 8
// basic colours on small terminals, TERM=xterm for one), pairs are allocated on first use.
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
        let key = PairKey(foreground: number(style.foreground, foreground: true), background: number(style.background, foreground: false))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        let pair = Int32(pairs.count + 1)
        guard pair < attune_color_pairs() else { return 0 }
        init_extended_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return pair
    }

    /// The curses colour number for a theme colour; -1 is the terminal's default.
    private func number(_ color: TerminalColor?, foreground: Bool) -> Int32 {
        switch color {
        case nil, .terminalDefault?: return -1
        case .ansi(let n)?: return Int32(colorCount >= 16 ? n : n % 8)
        case .rgb(let rgb)?:
            if colorCount >= 256 { return Int32(XTermPalette.index(of: rgb)) }
            return Self.basicColor(rgb, foreground: foreground)
        }
    }

    /// One of the 8 basic colours. Greys, which themes use for text, borders and grounds, would mostly round
    /// to black, so dim borders vanished on a dark ground: as text they become white unless nearly black, as
    /// ground black or white by lightness (the theme's, not the terminal's unknown default). Other colours
    /// keep their dominant channels.
    static func basicColor(_ rgb: RGB, foreground: Bool) -> Int32 {
        let high = max(rgb.r, rgb.g, rgb.b), low = min(rgb.r, rgb.g, rgb.b)
        let lightness = (Int(rgb.r) + Int(rgb.g) + Int(rgb.b)) / 3
        if Int(high) - Int(low) < 40 {
            if foreground { return lightness < 48 ? 0 : 7 }
            return lightness < 128 ? 0 : 7
        }
        let threshold = Int(high) * 3 / 4
        return Int32((Int(rgb.r) >= threshold ? 1 : 0) | (Int(rgb.g) >= threshold ? 2 : 0) | (Int(rgb.b) >= threshold ? 4 : 0))
    }
}
