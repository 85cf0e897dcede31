// Pictures: the sixel encoder checked by decoding its output with libsixel, the half-block renderer's exact
// bytes, resizing, compositing, the heat colormap and the xterm palette.
@testable import AttuneTUI
import Testing

@Suite struct PictureTests {
    /// Eight flat colours in 12×9 blocks, primaries and mid-tones. (Smooth ramps are not a fair check:
    /// libsixel bins similar colours before choosing its palette, so a 48-step grey ramp comes back in 8 steps.)
    private func sample(width: Int = 48, height: Int = 18) -> Picture {
        let colors = [
            RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255), RGB(255, 255, 0),
            RGB(120, 60, 200), RGB(30, 144, 255), RGB(250, 128, 114), RGB(64, 64, 64),
        ]
        var picture = Picture(width: width, height: height, color: RGB(0, 0, 0))
        for y in 0..<height {
            for x in 0..<width { picture[x, y] = colors[(y / 9) * 4 + x / 12] }
        }
        return picture
    }

    @Test func sixelRoundTripThroughLibsixelsDecoder() throws {
        let picture = sample()
        let bytes = try SixelEncoder.encode(picture)
        #expect(bytes.starts(with: [0x1B, UInt8(ascii: "P")]), "a DCS introducer")
        #expect(bytes.suffix(2) == [0x1B, UInt8(ascii: "\\")], "a string terminator")
        let decoded = try SixelDecoding.decode(bytes)
        #expect(decoded.width == picture.width && decoded.height == picture.height)
        // libsixel quantises colours through 0–100% (255 comes back as 247 in 1.10.3): allow ±10 of 255.
        var worst = 0
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let a = picture[x, y], b = decoded[x, y]
                worst = max(worst, abs(Int(a.r) - Int(b.r)), abs(Int(a.g) - Int(b.g)), abs(Int(a.b) - Int(b.b)))
            }
        }
        #expect(worst <= 10, "largest channel difference \(worst)")
    }

    @Test func halfBlocksOfATwoByFourPicture() {
        var picture = Picture(width: 2, height: 4, color: RGB(0, 0, 0))
        picture[0, 0] = RGB(255, 0, 0)
        picture[1, 0] = RGB(0, 255, 0)
        picture[0, 1] = RGB(0, 0, 255)
        picture[1, 1] = RGB(255, 255, 255)
        picture[0, 2] = RGB(10, 20, 30)
        picture[1, 3] = RGB(95, 135, 175)
        let rows = HalfBlockRenderer.rows(picture, palette: .truecolor)
        #expect(
            rows == [
                "\u{1B}[38;2;255;0;0;48;2;0;0;255m▀\u{1B}[38;2;0;255;0;48;2;255;255;255m▀\u{1B}[0m",
                "\u{1B}[38;2;10;20;30;48;2;0;0;0m▀\u{1B}[38;2;0;0;0;48;2;95;135;175m▀\u{1B}[0m",
            ])
        let cube = HalfBlockRenderer.rows(picture, palette: .xterm256)
        #expect(cube[0] == "\u{1B}[38;5;196;48;5;21m▀\u{1B}[38;5;46;48;5;231m▀\u{1B}[0m")
        #expect(cube[1] == "\u{1B}[38;5;233;48;5;16m▀\u{1B}[38;5;16;48;5;67m▀\u{1B}[0m")
    }

    @Test func oddHeightsRepeatTheLastRow() {
        let rows = HalfBlockRenderer.rows(Picture(width: 1, height: 3, color: RGB(1, 2, 3)), palette: .truecolor)
        #expect(rows.count == 2 && rows[1] == "\u{1B}[38;2;1;2;3;48;2;1;2;3m▀\u{1B}[0m")
    }

    @Test func xtermPaletteRoundTripsItsOwnColours() {
        for index in [16, 21, 67, 196, 231, 232, 244, 255] {
            #expect(XTermPalette.index(of: XTermPalette.color(of: index)) == index)
        }
    }

    @Test func resizeAveragesWhenShrinkingAndRepeatsWhenGrowing() {
        var picture = Picture(width: 2, height: 1, color: RGB(0, 0, 0))
        picture[1, 0] = RGB(200, 100, 50)
        #expect(picture.resized(width: 1, height: 1)[0, 0] == RGB(100, 50, 25))
        let big = picture.resized(width: 4, height: 2)
        #expect(big[0, 1] == RGB(0, 0, 0) && big[3, 1] == RGB(200, 100, 50))
    }

    @Test func compareAndWipe() {
        let left = Picture(width: 4, height: 2, color: RGB(10, 10, 10)), right = Picture(width: 2, height: 1, color: RGB(200, 0, 0))
        let both = left.sideBySide(right)
        #expect(both.width == 4 + 2 + 4 && both[0, 0] == RGB(10, 10, 10) && both[9, 1] == RGB(200, 0, 0))
        let wiped = left.wipe(right, at: 0.5)
        #expect(wiped[0, 0] == RGB(10, 10, 10) && wiped[2, 0] == RGB(255, 255, 255) && wiped[3, 1] == RGB(200, 0, 0))
    }

    @Test func heatOverlayAndColormap() {
        #expect(Colormap.heat(0) == RGB(0, 0, 4) && Colormap.heat(1) == RGB(252, 255, 164))
        #expect(Colormap.heat(.nan) == Colormap.heat(0) && Colormap.heat(2) == Colormap.heat(1))
        #expect(Colormap.normalized([2, 4, 6]) == [0, 0.5, 1] && Colormap.normalized([3, 3]) == [0, 0])
        let base = Picture(width: 4, height: 4, color: RGB(100, 100, 100))
        let over = base.overlaid(field: [0, 1, 0, 0], fieldWidth: 2, fieldHeight: 2, alpha: 1, color: Colormap.heat, weight: { Double($0) })
        #expect(over[0, 0] == RGB(100, 100, 100) && over[3, 0] == Colormap.heat(1) && over[3, 3] == RGB(100, 100, 100))
    }
}
