// Corrupt, truncated, oversized and non-PNG inputs give a clear ImageError naming the file, never a crash.
import AttuneImage
import AttuneTestSupport
import Foundation
import Testing

/// A small deterministic generator (SplitMix64) for the random-bytes cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct PNGMalformedTests {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    func readError(_ bytes: [UInt8]) throws -> ImageError? {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.png")
        try Data(bytes).write(to: url)
        do {
            _ = try PNGFile.read(url)
            return nil
        } catch let error as ImageError {
            #expect(error.errorDescription?.contains(url.path) == true, "\(error)")
            return error.withPath("F")
        }
    }

    @Test func emptyAndNonPNGFiles() throws {
        #expect(try readError([]) == .notPNG(path: "F", detail: "the file is empty"))
        #expect(try readError(Array("GIF89a, not a PNG at all".utf8)) == .notPNG(path: "F", detail: "it does not start with the PNG signature"))
        #expect(try readError(Array(signature.prefix(5))) == .truncated(path: "F", detail: "the file ends inside the PNG signature"))
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = SplitMix64(state: 42)
        for length in [1, 7, 8, 33, 100, 1000, 5000] {
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(try readError(noise) == .notPNG(path: "F", detail: "it does not start with the PNG signature"))
            // The same noise behind a valid signature reaches libpng's chunk parser.
            let error = try readError(signature + noise)
            switch error {
            case .corrupt?, .truncated?: break
            default: Issue.record("signature + \(length) random bytes: \(String(describing: error))")
            }
        }
    }

    @Test func truncationsAreReportedAsTruncated() throws {
        let whole = try [UInt8](Data(contentsOf: Fixtures.url("images/rgba16.png")))
        // Cut inside the signature, the IHDR, the IDAT header, the compressed data and the IDAT CRC.
        let idatEnd = whole.count - 12
        for cut in [3, 8, 20, 33, 40, 60, idatEnd - 30, idatEnd - 2] {
            let error = try readError(Array(whole.prefix(cut)))
            guard case .truncated? = error else {
                Issue.record("cut at \(cut) of \(whole.count): \(String(describing: error))")
                continue
            }
        }
        // A file cut inside IEND still holds the whole image; like other readers, Attune reads it.
        #expect(try readError(Array(whole.prefix(whole.count - 4))) == nil)
    }

    @Test func damagedDataIsCorrupt() throws {
        let whole = try [UInt8](Data(contentsOf: Fixtures.url("images/rgb8.png")))
        var badCRC = whole
        badCRC[30] ^= 0xFF  // the IHDR chunk's CRC (bytes 29..<33)
        #expect(try readError(badCRC) == .corrupt(path: "F", detail: "IHDR: CRC error"))
        var badData = whole
        badData[45] ^= 0xFF  // inside the compressed IDAT stream: zlib rejects it before the CRC is reached
        guard case .corrupt(_, let detail)? = try readError(badData) else {
            Issue.record("damaged IDAT data was not reported as corrupt")
            return
        }
        #expect(detail.hasPrefix("IDAT: "), "\(detail)")
    }

    @Test func hugeDeclaredSizeIsRefusedBeforeAllocating() throws {
        let bytes = try [UInt8](Data(contentsOf: Fixtures.url("images/malformed/huge_dimensions.png")))
        #expect(try readError(bytes) == .unsupported(path: "F", detail: "100000 x 100000 pixels exceed the limit of 67108864"))
    }

    @Test func missingFilesAndDirectories() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ImageError.cannotRead(path: dir.path, reason: "it is a directory")) { try PNGFile.read(dir) }
        let missing = dir.appendingPathComponent("missing.png")
        #expect(throws: ImageError.cannotRead(path: missing.path, reason: "no such file")) { try PNGFile.read(missing) }
    }
}

extension ImageError {
    /// The same error naming `path` instead of the (random) temporary file.
    func withPath(_ path: String) -> ImageError {
        switch self {
        case let .cannotRead(_, reason): return .cannotRead(path: path, reason: reason)
        case let .notPNG(_, detail): return .notPNG(path: path, detail: detail)
        case let .truncated(_, detail): return .truncated(path: path, detail: detail)
        case let .corrupt(_, detail): return .corrupt(path: path, detail: detail)
        case let .unsupported(_, detail): return .unsupported(path: path, detail: detail)
        case let .cannotWrite(_, reason): return .cannotWrite(path: path, reason: reason)
        case .invalidTargetSize: return self
        }
    }
}
