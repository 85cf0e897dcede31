// AtomicFile: complete replacement on success; on any failure the old file stays and no temporary is left behind.
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    func entries(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func replacesTheFileAndLeavesNoTemporary() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.bin")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(to: url) { sink in
            try sink.write(Data("new ".utf8))
            try sink.write(Data("contents".utf8))
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "new contents")
        #expect(try entries(dir) == ["out.bin"])
    }

    @Test func failureKeepsTheOldFileAndRemovesTheTemporary() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.bin")
        try AtomicFile.write(Data("old".utf8), to: url)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: url) { sink in
                try sink.write(Data("partial".utf8))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try entries(dir) == ["out.bin"])
    }

    @Test func missingDirectoryAndDirectoryTargetAreReported() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no/such/dir/out.bin")
        #expect(throws: FileWriteError(
            path: missing.path,
            reason: "cannot create a temporary file in \(missing.deletingLastPathComponent().path): No such file or directory")) {
            try AtomicFile.write(Data("x".utf8), to: missing)
        }
        // A directory in the way: the rename fails, the directory survives, the temporary is gone.
        let occupied = dir.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: occupied.appendingPathComponent("inside"))
        #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: occupied) }
        #expect(try entries(dir) == ["occupied"])
        #expect(try entries(occupied) == ["inside"])
    }

    @Test func safeTensorsWriterFailsCleanly() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("missing/model.safetensors")
        do {
            try SafeTensorsWriter.write(["x": Tensor(zeros: [2])], to: url)
            Issue.record("writing into a missing directory succeeded")
        } catch let error as FileWriteError {
            #expect(error.errorDescription?.contains(url.path) == true)
        }
    }
}
