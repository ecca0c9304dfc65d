import NIOCore

/// Runs a task's jobs on a connection's event loop, so that a task sending statement after statement on that
/// connection does not cross threads twice per statement (to the event loop to write, and back when the
/// answer arrives); see ``DatabaseSession/withConnectionExecutor(_:)``.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
