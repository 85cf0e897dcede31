// Pictures as text for terminals without sixel: each cell shows two vertical pixels as "▀" with the upper
// pixel in the foreground colour and the lower one in the background (24-bit SGR, or the xterm 256-colour cube).

public enum HalfBlockRenderer {
    public enum Palette: Sendable {
        case truecolor
        case xterm256
    }

    /// One string per text row (`(picture.height + 1) / 2` rows), each `picture.width` cells wide,
    /// ending with SGR 0 so the terminal's attributes are left clean.
    public static func rows(_ picture: Picture, palette: Palette) -> [String] {
        var rows: [String] = []
        for top in stride(from: 0, to: picture.height, by: 2) {
            var line = ""
            for x in 0..<picture.width {
                let upper = picture[x, top]
                let lower = top + 1 < picture.height ? picture[x, top + 1] : upper
                line += "\u{1B}[" + sgr(upper, foreground: true, palette) + ";" + sgr(lower, foreground: false, palette) + "m▀"
            }
            rows.append(line + "\u{1B}[0m")
        }
        return rows
    }

    private static func sgr(_ color: RGB, foreground: Bool, _ palette: Palette) -> String {
        switch palette {
        case .truecolor: "\(foreground ? 38 : 48);2;\(color.r);\(color.g);\(color.b)"
        case .xterm256: "\(foreground ? 38 : 48);5;\(XTermPalette.index(of: color))"
        }
    }
}

/// The xterm 256-colour palette: 16 system colours, a 6×6×6 cube (indices 16–231) and 24 greys (232–255).
public enum XTermPalette {
    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The nearest cube colour or grey (system colours vary between terminals, so they are never chosen).
    public static func index(of color: RGB) -> Int {
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<cubeLevels.count where abs(cubeLevels[i] - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(color.r), nearestLevel(color.g), nearestLevel(color.b))
        let cube = RGB(UInt8(cubeLevels[ri]), UInt8(cubeLevels[gi]), UInt8(cubeLevels[bi]))
        let average = (Int(color.r) + Int(color.g) + Int(color.b)) / 3
        let greyIndex = min(23, max(0, (average - 3) / 10))
        let greyLevel = UInt8(8 + 10 * greyIndex)
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        return distance(color, grey) < distance(color, cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
    }

    /// The colour shown for a palette index ≥ 16.
    public static func color(of index: Int) -> RGB {
        if index >= 232 {
            let level = UInt8(8 + 10 * (index - 232))
            return RGB(level, level, level)
        }
        let i = index - 16
        return RGB(UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
    }

    private static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        return dr * dr + dg * dg + db * db
    }
}
