// PNG writing: 8-bit RGB and gray round trips are exact, values are clamped and rounded, and writes are atomic.
import AttuneImage
import AttuneTestSupport
import Foundation
import Testing

@Suite struct PNGWritingTests {
    /// Every 8-bit level k / 255 appears, so a round trip must be exact.
    func levels(width: Int, height: Int, channels: Int) -> Image {
        let count = width * height * channels
        return Image(width: width, height: height, channels: channels, pixels: (0..<count).map { Float(($0 * 37) % 256) / 255 })
    }

    @Test func rgbRoundTripIsExact() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("rgb.png")
        let image = levels(width: 16, height: 16, channels: 3)
        try PNGFile.write(image, to: url)
        let loaded = try PNGFile.read(url, alpha: .separate)
        #expect(loaded.image == image)
        #expect(loaded.alpha == nil && loaded.fileBitDepth == 8)
    }

    @Test func grayRoundTripIsExact() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("mask.png")
        let mask = levels(width: 7, height: 5, channels: 1)
        try PNGFile.write(mask, to: url)
        let loaded = try PNGFile.read(url).image
        // Gray files read back as RGB with three equal channels.
        #expect(loaded.grayscale().pixels.count == mask.pixels.count)
        for c in 0..<3 {
            #expect(Array(loaded.pixels[(c * 35)..<((c + 1) * 35)]) == mask.pixels)
        }
    }

    @Test func samplesAreClampedAndRoundedToTheNearestLevel() throws {
        let image = Image(width: 6, height: 1, channels: 1, pixels: [-0.5, .nan, 0.4 / 255, 0.6 / 255, 254.5 / 255, 7])
        let loaded = try PNGFile.decode(PNGFile.encode(image, path: "memory"), path: "memory").image
        #expect(Array(loaded.pixels.prefix(6)) == [0, 0, 0, 1 / 255, 1, 1])
    }

    @Test func writingReplacesAnOldFileAndLeavesNoTemporary() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.png")
        try PNGFile.write(Image(width: 2, height: 2, channels: 3, filling: 0), to: url)
        try PNGFile.write(Image(width: 3, height: 1, channels: 3, filling: 1), to: url)
        #expect(try PNGFile.read(url).image == Image(width: 3, height: 1, channels: 3, filling: 1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.png"])
    }

    @Test func failedWritesKeepWhatWasThere() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no/such/dir/out.png")
        #expect(throws: ImageError.cannotWrite(
            path: missing.path,
            reason: "cannot create a temporary file in \(missing.deletingLastPathComponent().path): No such file or directory")) {
            try PNGFile.write(Image(width: 1, height: 1, channels: 3, filling: 0), to: missing)
        }
        // A directory where the file should go: the rename fails and the directory and its contents survive.
        let occupied = dir.appendingPathComponent("occupied.png")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: occupied.appendingPathComponent("inside"))
        #expect(throws: ImageError.self) { try PNGFile.write(Image(width: 1, height: 1, channels: 3, filling: 0), to: occupied) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["occupied.png"])
        #expect(try String(contentsOf: occupied.appendingPathComponent("inside"), encoding: .utf8) == "keep")
    }

    @Test func anImageLibpngRejectsLeavesTheOldFile() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("kept.png")
        let old = Image(width: 2, height: 1, channels: 3, filling: 0.2)
        try PNGFile.write(old, to: url)
        do {
            try PNGFile.write(Image(width: 0, height: 3, channels: 3, pixels: []), to: url)
            Issue.record("an empty image was written")
        } catch let error as ImageError {
            guard case .cannotWrite(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == url.path)
        }
        #expect(try PNGFile.read(url).image.pixels.allSatisfy { $0 == 51 / 255 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kept.png"])
    }
}
