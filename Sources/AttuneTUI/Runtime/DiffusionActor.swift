// The background diffusion actor: runs one edit at a time on a detached task (a plain Task from the main
// thread would never start while it sleeps in poll(), tui.md §3.5), cancels the previous run when a new one
// comes, waits out a short debounce first when asked, and posts every engine event to the mailbox.
import AttuneEditing

public actor DiffusionActor {
    public static let debounce: Duration = .milliseconds(300)

    private let engine: any WorkbenchEngine
    private let post: @Sendable (Action) -> Void
    private var task: Task<Void, Never>?
    /// Requests reach the actor through separate tasks and may arrive out of order; older ones are ignored.
    private var latestRunID = 0

    public init(engine: any WorkbenchEngine, post: @escaping @Sendable (Action) -> Void) {
        self.engine = engine
        self.post = post
    }

    public func start(_ record: EditRecord, runID: Int, debounce: Bool) {
        guard runID > latestRunID else { return }
        latestRunID = runID
        let previous = task
        previous?.cancel()
        let (engine, post) = (self.engine, self.post)
        task = Task.detached {
            if debounce {
                do { try await Task.sleep(for: Self.debounce) } catch { return }
            }
            // The engine runs one edit at a time: let the cancelled run unwind first.
            await previous?.value
            guard !Task.isCancelled else { return }
            do {
                try await engine.run(record) { event in post(.engine(runID: runID, event)) }
            } catch is CancellationError {
                post(.engine(runID: runID, .cancelled))
            } catch {
                post(.engine(runID: runID, .failed(error.localizedDescription)))
            }
        }
    }

    /// Cancels the run in progress unless a newer one than `runID` was started.
    public func cancel(upTo runID: Int) {
        guard runID >= latestRunID else { return }
        latestRunID = runID
        task?.cancel()
    }

    /// Waits until the current run (if any) has ended; for tests and shutdown.
    public func wait() async { await task?.value }
}
