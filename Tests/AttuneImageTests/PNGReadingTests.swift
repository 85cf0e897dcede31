// PNG decoding of every fixture colour type and bit depth against Tests/Fixtures/images/expected.json
// (written by Tools/fixtures/make_image_fixtures.py and cross-checked there with Pillow).
import AttuneImage
import AttuneTestSupport
import Foundation
import Testing

struct ExpectedImage: Decodable {
    let width: Int
    let height: Int
    let bit_depth: Int
    /// [r, g, b] per pixel, row-major.
    let rgb: [[Double]]
    let alpha: [Double]?
}

@Suite struct PNGReadingTests {
    static let expected: [String: ExpectedImage] = {
        guard let data = try? Data(contentsOf: Fixtures.url("images/expected.json")),
              let table = try? JSONDecoder().decode([String: ExpectedImage].self, from: data)
        else { return [:] }
        return table
    }()

    /// Float32 holds sample / 65535 to within half an ulp (< 6e-8); 8-bit rounding would be off by up to 2e-3.
    static let tolerance: Float = 1e-6

    @Test func expectationsCoverEveryColourTypeAndDepth() {
        #expect(Self.expected.keys.sorted() == [
            "gray16.png", "gray8.png", "gray8_trns.png", "gray_alpha16.png", "gray_alpha8.png", "palette8.png",
            "palette8_trns.png", "pillow_rgba8.png", "rgb16.png", "rgb16_gamma_chunks.png", "rgb8.png",
            "rgb8_interlaced.png", "rgba16.png", "rgba8.png",
        ])
    }

    @Test(arguments: expected.keys.sorted())
    func separateAlphaMatchesTheStoredSamples(name: String) throws {
        let expected = try #require(Self.expected[name])
        let loaded = try PNGFile.read(Fixtures.url("images/\(name)"), alpha: .separate)
        #expect(loaded.fileBitDepth == expected.bit_depth)
        #expect(loaded.image.width == expected.width && loaded.image.height == expected.height && loaded.image.channels == 3)
        var worst: Float = 0
        for y in 0..<expected.height {
            for x in 0..<expected.width {
                let pixel = expected.rgb[y * expected.width + x]
                for c in 0..<3 { worst = max(worst, abs(loaded.image[c, x, y] - Float(pixel[c]))) }
            }
        }
        #expect(worst <= Self.tolerance, "\(name): max |Δ| = \(worst)")
        if let alpha = expected.alpha {
            let mask = try #require(loaded.alpha, "\(name) has alpha")
            #expect(mask.channels == 1)
            let alphaError = zip(mask.pixels, alpha).map { abs($0 - Float($1)) }.max() ?? 0
            #expect(alphaError <= Self.tolerance, "\(name): alpha max |Δ| = \(alphaError)")
        } else {
            #expect(loaded.alpha == nil, "\(name) has no alpha")
        }
    }

    @Test(arguments: expected.keys.sorted())
    func compositingOnWhiteBlendsWithAlpha(name: String) throws {
        let expected = try #require(Self.expected[name])
        let loaded = try PNGFile.read(Fixtures.url("images/\(name)"))
        #expect(loaded.alpha == nil)
        var worst: Float = 0
        for i in 0..<(expected.width * expected.height) {
            let a = expected.alpha?[i] ?? 1
            for c in 0..<3 {
                let want = Float(expected.rgb[i][c] * a + (1 - a))
                worst = max(worst, abs(loaded.image[c, i % expected.width, i / expected.width] - want))
            }
        }
        #expect(worst <= Self.tolerance, "\(name): max |Δ| = \(worst)")
    }

    @Test func sixteenBitSamplesKeepTheirLowBits() throws {
        // gray16.png stores 1 and 100 at pixels (0, 1) and (1, 1); 8-bit rounding or a gamma round trip would lose them.
        let image = try PNGFile.read(Fixtures.url("images/gray16.png")).image
        #expect(abs(image[0, 0, 1] - 1 / 65535) < 1e-9)
        #expect(abs(image[0, 1, 1] - 100 / 65535) < 1e-9)
    }

    @Test func decodingFromMemoryMatchesReadingTheFile() throws {
        let url = Fixtures.url("images/rgba8.png")
        let fromFile = try PNGFile.read(url, alpha: .separate)
        let fromData = try PNGFile.decode(Data(contentsOf: url), path: "memory", alpha: .separate)
        #expect(fromFile == fromData)
    }
}
