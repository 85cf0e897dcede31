// Files of a session: the record (TOML, the format `attune edit --from` replays) with the drawn mask saved
// beside it as <name>.mask.png, exported results with their record, and the state directory's autosave and
// recent-files list. Every file is written atomically (temporary file in the same directory, then rename).
import AttuneEditing
import AttuneTOML
import Foundation

public enum SessionFileError: Error, LocalizedError, Equatable {
    case picturesUnavailable(String)
    public var errorDescription: String? {
        switch self {
        case .picturesUnavailable(let what): "\(what) needs PNG support, which this build does not have"
        }
    }
}

public struct SessionFiles: Sendable {
    public var pictures: PictureIO?
    public var attuneVersion: String?

    public init(pictures: PictureIO?, attuneVersion: String?) {
        self.pictures = pictures
        self.attuneVersion = attuneVersion
    }

    /// Writes `record` to `url`, and `mask` (at the edit's size) to `<name>.mask.png` beside it.
    public func save(_ record: EditRecord, mask: MaskGrid?, to url: URL) throws {
        var record = record
        if let mask {
            let maskURL = url.deletingPathExtension().appendingPathExtension("mask.png")
            try writePicture(mask.picture(width: record.width, height: record.height), to: maskURL, what: "saving the mask")
            record.mask = maskURL
        }
        record.attuneVersion = attuneVersion
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try record.write(to: url)
    }

    /// The result PNG, and beside it the record that made it (`<name>.toml`, output pointing at the PNG).
    public func exportResult(_ picture: Picture, record: EditRecord, to url: URL) throws {
        try writePicture(picture, to: url, what: "exporting the result")
        var record = record
        record.output = url
        record.attuneVersion = attuneVersion
        try record.write(to: url.deletingPathExtension().appendingPathExtension("toml"))
    }

    public func writePicture(_ picture: Picture, to url: URL, what: String) throws {
        guard let pictures else { throw SessionFileError.picturesUnavailable(what) }
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).png")
        do {
            try pictures.save(picture, temporary)
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public func readPicture(_ url: URL, what: String) throws -> Picture {
        guard let pictures else { throw SessionFileError.picturesUnavailable(what) }
        return try pictures.load(url)
    }
}

/// The state directory: autosave, recent files, the run's mask and the log.
public struct StateDirectory: Sendable {
    public let url: URL
    public static let recentLimit = 20

    public init(url: URL) { self.url = url }

    public var autosave: URL { url.appendingPathComponent("autosave.toml") }
    /// Where the drawn mask is written for the engine to read during a run.
    public var runMask: URL { url.appendingPathComponent("run-mask.png") }
    /// Standard error while the workbench runs (see StandardErrorLog).
    public var log: URL { url.appendingPathComponent("workbench.log") }
    private var recentFile: URL { url.appendingPathComponent("recent.toml") }

    public func recent() -> (sessions: [URL], images: [URL]) {
        guard let table = try? TOML.parse(contentsOf: recentFile) else { return ([], []) }
        func list(_ key: String) -> [URL] {
            (table[key]?.arrayValue ?? []).compactMap(\.stringValue).map { URL(fileURLWithPath: $0) }
        }
        return (list("sessions"), list("images"))
    }

    /// Puts `file` first in its list (most recent first, at most `recentLimit`) and returns both lists.
    public func remember(_ file: URL, isSession: Bool) throws -> (sessions: [URL], images: [URL]) {
        var (sessions, images) = recent()
        if isSession {
            sessions = Array(([file] + sessions.filter { $0 != file }).prefix(Self.recentLimit))
        } else {
            images = Array(([file] + images.filter { $0 != file }).prefix(Self.recentLimit))
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let table: TOMLTable = [
            "sessions": .array(sessions.map { .string($0.path) }), "images": .array(images.map { .string($0.path) }),
        ]
        try Data(TOML.serialize(table).utf8).write(to: recentFile, options: .atomic)
        return (sessions, images)
    }
}
