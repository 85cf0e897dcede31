// Ctrl-C stops long work between UNet calls instead of killing the process mid-write: the first SIGINT
// raises a flag that progress handlers turn into CancellationError; a second one exits at once.
import Foundation

enum Interrupt {
    nonisolated(unsafe) private static var source: DispatchSourceSignal?
    private static let lock = NSLock()
    nonisolated(unsafe) private static var raised = false

    static func install() {
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler {
            let again = lock.withLock { () -> Bool in defer { raised = true }; return raised }
            if again { exit(130) }
            FileHandle.standardError.write(Data("\ninterrupted: stopping after this step (Ctrl-C again to quit now)\n".utf8))
        }
        s.resume()
        source = s
    }

    static var isRaised: Bool { lock.withLock { raised } }

    static func check() throws {
        if isRaised { throw CancellationError() }
    }
}
