// Stand-ins for the executable's services in runtime tests: an engine whose steps the test releases one
// by one, and picture files stored as binary PPM (the real PNG code lives in AttuneImage).
@testable import AttuneTUI
import AttuneEditing
import Foundation
import Synchronization

final class SteppingEngine: WorkbenchEngine {
    /// How many steps runs may complete; runs wait (cancellably) for more.
    private let allowed = Mutex(0)
    private let records = Mutex<[EditRecord]>([])
    private let cancellations = Mutex(0)

    var seen: [EditRecord] { records.withLock { $0 } }
    var cancelled: Int { cancellations.withLock { $0 } }

    func allow(_ steps: Int) { allowed.withLock { $0 += steps } }

    func run(_ record: EditRecord, events: @escaping @Sendable (EngineEvent) -> Void) async throws {
        records.withLock { $0.append(record) }
        do {
            events(.stage("denoising"))
            for step in 1...record.steps {
                while allowed.withLock({ $0 }) < step { try await Task.sleep(for: .milliseconds(2)) }
                events(.progress(step: step, total: record.steps, secondsPerStep: 0.01))
                events(.preview(Picture(width: 8, height: 8, color: RGB(UInt8(step), 0, 0))))
            }
        } catch {
            cancellations.withLock { $0 += 1 }
            throw error
        }
        events(.finished(Picture(width: 16, height: 16, color: RGB(0, UInt8(record.startStep), 0))))
    }
}

enum PPMPictures {
    static let io = PictureIO(
        load: { url in
            let data = try Data(contentsOf: url)
            let header = "P6\n"
            guard data.starts(with: Array(header.utf8)), let text = String(data: data.prefix(32), encoding: .isoLatin1) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            let fields = text.split(whereSeparator: \.isWhitespace).prefix(4)
            guard fields.count == 4, let width = Int(fields[1]), let height = Int(fields[2]) else { throw CocoaError(.fileReadCorruptFile) }
            let pixels = Array(data.suffix(width * height * 3))
            return Picture(width: width, height: height, pixels: pixels)
        },
        save: { picture, url in
            var data = Data("P6\n\(picture.width) \(picture.height)\n255\n".utf8)
            data.append(contentsOf: picture.pixels)
            try data.write(to: url)
        })
}

/// Polls `condition`, draining the core's mailbox, for up to `seconds` (generous: a full parallel test run on
/// two cores can keep the background tasks waiting for a while).
func waitUntil(_ core: WorkbenchCore, seconds: Double = 30, _ condition: (WorkbenchCore) -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        core.drainMailbox()
        if condition(core) { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return false
}
