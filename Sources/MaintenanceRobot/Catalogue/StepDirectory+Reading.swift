import Foundation
import NIOConcurrencyHelpers

extension StepDirectory {
    /// A step directory read in the background, on a thread of its own at idle priority, while the process does
    /// something else: a run reads its steps while it connects, and `robot run` starts reading them before it
    /// parses its command line. Run one with ``Robot/init(reading:configuration:)``.
    ///
    /// At idle priority the reading takes only time no other thread wants, so it does not slow what it overlaps
    /// (on Linux; elsewhere it runs at the priority it inherits). A busy machine may leave it none: whoever
    /// waits for the steps reads them itself after a while (`patience`).
    public final class Reading: Sendable {
        /// The directory being read.
        public let path: String
        /// How long ``declaration()`` waits for the background reading before it reads the directory itself.
        public let patience: Duration

        private typealias Outcome = Result<CatalogueDeclaration, CatalogueError>
        private typealias Waiter = CheckedContinuation<Outcome?, Never>

        private enum State {
            case reading(waiters: [Int: Waiter], nextWaiter: Int)
            case read(Outcome)
        }

        private let state = NIOLockedValueBox(State.reading(waiters: [:], nextWaiter: 0))

        /// Starts reading the step directory at `path`.
        /// - Parameter patience: how long ``declaration()`` waits for the background reading before it reads the
        ///   directory itself.
        public convenience init(_ path: String, patience: Duration = .milliseconds(100)) {
            self.init(path, patience: patience, readingWith: StepDirectory.declaration(in:))
        }

        /// Starts reading `path` with `read` in the background (tests hold it back to see the caller read).
        init(_ path: String, patience: Duration, readingWith read: @escaping @Sendable (String) throws(CatalogueError) -> CatalogueDeclaration) {
            self.path = path
            self.patience = patience
            // A thread, not a task: the reading blocks on the file system, and a task would hold one of the few
            // threads that run every task.
            Thread { [self] in readInBackground(with: read) }.start()
        }

        /// What ``StepDirectory/declaration(in:)`` returns for ``path``: the background reading's, or, when that
        /// has not finished within ``patience``, a reading of the caller's own.
        public func declaration() async throws(CatalogueError) -> CatalogueDeclaration {
            if let outcome = await outcome(waitingAtMost: patience) { return try outcome.get() }
            return try StepDirectory.declaration(in: path)
        }

        private func readInBackground(with read: (String) throws(CatalogueError) -> CatalogueDeclaration) {
#if os(Linux)
            // SCHED_IDLE, which Glibc's module does not name: the thread runs when no other wants the processor,
            // and yields it at once when one does.
            var parameters = sched_param()
            pthread_setschedparam(pthread_self(), 5, &parameters)
#endif
            let outcome = Outcome { () throws(CatalogueError) in try read(path) }
            let waiters = state.withLockedValue { state -> [Waiter] in
                defer { state = .read(outcome) }
                guard case .reading(let waiters, _) = state else { return [] }
                return Array(waiters.values)
            }
            for waiter in waiters { waiter.resume(returning: outcome) }
        }

        /// The background reading's outcome, or `nil` when it takes longer than `patience`.
        private func outcome(waitingAtMost patience: Duration) async -> Outcome? {
            await withCheckedContinuation { (waiter: Waiter) in
                let registered = state.withLockedValue { state -> Int? in
                    switch state {
                    case .read(let outcome):
                        waiter.resume(returning: outcome)
                        return nil
                    case .reading(var waiters, let id):
                        waiters[id] = waiter
                        state = .reading(waiters: waiters, nextWaiter: id + 1)
                        return id
                    }
                }
                guard let id = registered else { return }
                Task {
                    try? await Task.sleep(for: patience)
                    let impatient = state.withLockedValue { state -> Waiter? in
                        guard case .reading(var waiters, let nextWaiter) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
                        state = .reading(waiters: waiters, nextWaiter: nextWaiter)
                        return waiter
                    }
                    impatient?.resume(returning: nil)
                }
            }
        }
    }
}
