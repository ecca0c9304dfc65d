import Dispatch

/// A task executor on a serial dispatch queue of its own, off Swift's shared pool.
///
/// A full parallel test run schedules hundreds of tests on the shared pool, which has one thread per core: a task
/// whose promptness a test measures (a run that must stop within a second of its cancellation) waits there behind all
/// of them. Run it with `Task(executorPreference: DedicatedExecutor())` and it is measured alone.
public final class DedicatedExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "robot-test-support.dedicated-executor")

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
