// Every malformed safetensors input named in the format's checks produces its own error case and never a crash.
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct SafeTensorsValidationTests {
    typealias Built = HandBuiltSafeTensors
    let f32x2 = #""dtype":"F32","shape":[2]"#

    @Test func shortFiles() throws {
        let empty = try Built.open([])
        #expect(empty.error == .fileTooSmall(path: empty.path, size: 0))
        let seven = try Built.open([1, 0, 0, 0, 0, 0, 0])
        #expect(seven.error == .fileTooSmall(path: seven.path, size: 7))
    }

    @Test func headerLengthBeyondLimitOrFile() throws {
        let huge = try Built.open(header: "{}", declaredLength: 200_000_000)
        #expect(huge.error == .headerTooLarge(path: huge.path, length: 200_000_000, limit: 100_000_000))
        let maxLength = try Built.open(header: "{}", declaredLength: UInt64.max)
        #expect(maxLength.error == .headerTooLarge(path: maxLength.path, length: UInt64.max, limit: 100_000_000))
        let past = try Built.open(header: "{}", declaredLength: 100)
        #expect(past.error == .headerBeyondFile(path: past.path, length: 100, fileSize: 10))
    }

    @Test func headerMustBeUTF8JSONObject() throws {
        let notUTF8 = try Built.open(Built.bytes(headerBytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]))
        #expect(notUTF8.error == .headerNotUTF8(path: notUTF8.path))
        let cut = try Built.open(header: #"{"a":"#)
        #expect(cut.error == .invalidJSON(path: cut.path, offset: 5, reason: "unexpected end of JSON"))
        let trailing = try Built.open(header: "{} x")
        #expect(trailing.error == .invalidJSON(path: trailing.path, offset: 3, reason: "unexpected text after the JSON value"))
        let deep = try Built.open(header: String(repeating: "[", count: 100_000))
        #expect(deep.error == .invalidJSON(path: deep.path, offset: 64, reason: "nesting deeper than 64 levels"))
        let duplicate = try Built.open(header: #"{"x":{},"x":{}}"#)
        #expect(duplicate.error == .invalidJSON(path: duplicate.path, offset: 8, reason: #"duplicate key "x""#))
        let array = try Built.open(header: "[1, 2]")
        #expect(array.error == .headerNotObject(path: array.path, found: "an array"))
    }

    @Test func entriesNeedEveryFieldWithTheRightType() throws {
        let cases: [(String, String)] = [
            (#"{"x":3}"#, "entry must be an object, found an integer"),
            (#"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, #"missing "dtype""#),
            (#"{"x":{"dtype":"F32","data_offsets":[0,8]}}"#, #"missing "shape""#),
            (#"{"x":{"dtype":"F32","shape":[2]}}"#, #"missing "data_offsets""#),
            (#"{"x":{"dtype":5,"shape":[2],"data_offsets":[0,8]}}"#, #""dtype" must be a string, found an integer"#),
            (#"{"x":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, #""shape" must be an array, found a string"#),
            (#"{"x":{"dtype":"F32","shape":[2],"data_offsets":null}}"#, #""data_offsets" must be an array, found null"#),
        ]
        for (header, reason) in cases {
            let result = try Built.open(header: header, data: [UInt8](repeating: 0, count: 8))
            #expect(result.error == .invalidEntry(path: result.path, tensor: "x", reason: reason), "\(header)")
        }
    }

    @Test func unknownDTypes() throws {
        for code in ["F17", "f32", "F4", ""] {
            let result = try Built.open(header: #"{"x":{"dtype":"\#(code)","shape":[2],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8))
            #expect(result.error == .unknownDType(path: result.path, tensor: "x", dtype: code))
        }
    }

    @Test func invalidShapes() throws {
        let cases: [(String, String)] = [
            ("[-1]", "dimension 0 is negative (-1)"),
            ("[2, 2.5]", "dimension 1 is a non-integer number, expected an integer"),
            ("[2.0]", "dimension 0 is a non-integer number, expected an integer"),
            ("[1e30]", "dimension 0 is a non-integer number, expected an integer"),
            (#"["2"]"#, "dimension 0 is a string, expected an integer"),
            ("[4294967296, 4294967296]", "the element count of 2-d shape overflows"),
            ("[4611686018427387904]", "the byte count of shape [4611686018427387904] overflows"),
        ]
        for (shape, reason) in cases {
            let result = try Built.open(header: #"{"x":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8))
            #expect(result.error == .invalidShape(path: result.path, tensor: "x", reason: reason), "\(shape)")
        }
    }

    @Test func invalidOffsets() throws {
        let pair = "expected [begin, end] as two integers"
        let cases: [(String, String)] = [
            ("[8]", pair), ("[0, 8, 16]", pair), ("[0.0, 8]", pair), (#"["0", 8]"#, pair),
        ]
        for (offsets, reason) in cases {
            let result = try Built.open(header: #"{"x":{\#(f32x2),"data_offsets":\#(offsets)}}"#, data: .init(repeating: 0, count: 16))
            #expect(result.error == .invalidOffsets(path: result.path, tensor: "x", reason: reason), "\(offsets)")
        }
        let reversed = try Built.open(header: #"{"x":{\#(f32x2),"data_offsets":[8,0]}}"#, data: .init(repeating: 0, count: 16))
        #expect(reversed.error == .invalidOffsets(path: reversed.path, tensor: "x", reason: "[8, 0] needs 0 <= begin <= end"))
        let negative = try Built.open(header: #"{"x":{\#(f32x2),"data_offsets":[-8,0]}}"#, data: .init(repeating: 0, count: 16))
        #expect(negative.error == .invalidOffsets(path: negative.path, tensor: "x", reason: "[-8, 0] needs 0 <= begin <= end"))
    }

    @Test func dataMustFitAndMatchTheShape() throws {
        let truncated = try Built.open(header: #"{"x":{\#(f32x2),"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 5))
        #expect(truncated.error == .dataBeyondFile(path: truncated.path, tensor: "x", end: 8, dataSize: 5))
        let mismatch = try Built.open(header: #"{"x":{\#(f32x2),"data_offsets":[0,12]}}"#, data: .init(repeating: 0, count: 12))
        #expect(mismatch.error == .byteCountMismatch(path: mismatch.path, tensor: "x", dtype: "F32", shape: [2], expected: 8, actual: 12))
    }

    @Test func overlappingTensorsAreRejectedButEmptyOnesMayShareAnOffset() throws {
        let overlap = try Built.open(
            header: #"{"b":{\#(f32x2),"data_offsets":[4,12]},"a":{\#(f32x2),"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 12))
        #expect(overlap.error == .overlappingTensors(path: overlap.path, first: "a", firstRange: 0..<8, second: "b", secondRange: 4..<12))
        let empties = try Built.open(
            header: #"{"e1":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"e2":{"dtype":"F16","shape":[3,0],"data_offsets":[4,4]},"#
                + #""x":{\#(f32x2),"data_offsets":[0,8]}}"#,
            data: .init(repeating: 0, count: 8))
        #expect(empties.error == nil)
    }

    @Test func metadataMustMapStringsToStrings() throws {
        let number = try Built.open(header: #"{"__metadata__":5}"#)
        #expect(number.error == .invalidMetadata(path: number.path, reason: "found an integer"))
        let nonString = try Built.open(header: #"{"__metadata__":{"ok":"yes","n":1}}"#)
        #expect(nonString.error == .invalidMetadata(path: nonString.path, reason: "value of 'n' is an integer"))
        // The reference reads metadata as an Option, so null means none.
        let null = try Built.open(header: #"{"__metadata__":null}"#)
        #expect(null.error == nil)
    }

    @Test func fileSystemErrors() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.cannotOpen(path: dir.path, reason: "not a regular file")) { try SafeTensorsFile(url: dir) }
        let missing = dir.appendingPathComponent("missing.safetensors")
        #expect(throws: SafeTensorsError.cannotOpen(path: missing.path, reason: "open failed: No such file or directory")) {
            try SafeTensorsFile(url: missing)
        }
    }

    @Test func everyTruncationOfARealFileIsReported() throws {
        let whole = try [UInt8](Data(contentsOf: Fixtures.url("safetensors/python.safetensors")))
        for cut in [0, 4, 8, 9, 100, 799, 800, 850, whole.count - 1] {
            let result = try Built.open(Array(whole.prefix(cut)))
            switch result.error {
            case .fileTooSmall?, .headerBeyondFile?, .dataBeyondFile?: break
            default: Issue.record("cut at \(cut): unexpected \(String(describing: result.error))")
            }
        }
    }

    @Test func fp8TensorsOpenButCannotBeConverted() throws {
        let url = try Built.write(header: #"{"q":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#, data: [1, 2])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let file = try SafeTensorsFile(url: url)
        #expect(file.info("q")?.dtype == .f8e4m3)
        #expect(throws: SafeTensorsError.unsupportedDType(path: url.path, tensor: "q", dtype: "F8_E4M3")) { try file.tensor("q") }
    }
}

/// Builds safetensors byte streams with a chosen header and data, for the validation tests.
enum HandBuiltSafeTensors {
    static func bytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        bytes(headerBytes: Array(header.utf8), data: data, declaredLength: declaredLength)
    }

    static func bytes(headerBytes json: [UInt8], data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { out += $0 }
        return out + json + data
    }

    static func write(_ bytes: [UInt8]) throws -> URL {
        let url = Fixtures.temporaryDirectory().appendingPathComponent("bad.safetensors")
        try Data(bytes).write(to: url)
        return url
    }

    static func write(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) throws -> URL {
        try write(bytes(header: header, data: data, declaredLength: declaredLength))
    }

    /// Opens `bytes` from a temporary file; returns the error it throws (nil if it opens) and the file's path.
    static func open(_ bytes: [UInt8]) throws -> (error: SafeTensorsError?, path: String) {
        let url = try write(bytes)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            _ = try SafeTensorsFile(url: url)
            return (nil, url.path)
        } catch let error as SafeTensorsError {
            // Every message names the file.
            #expect(error.errorDescription?.contains(url.path) == true, "\(error)")
            return (error, url.path)
        }
    }

    static func open(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) throws -> (error: SafeTensorsError?, path: String) {
        try open(bytes(header: header, data: data, declaredLength: declaredLength))
    }
}
