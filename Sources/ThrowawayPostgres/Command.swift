import Foundation

/// One run of an external tool whose output goes to a file and whose wait is bounded.
struct Command {
    let arguments: [String]
    let workingDirectory: String
    let outputFile: String

    /// How the tool ended.
    struct Outcome {
        let status: Int32
        let output: String

        var succeeded: Bool { status == 0 }
    }

    /// Runs the tool, waiting at most `bound`; a tool still running then is killed and `.timedOut` thrown.
    func run(within bound: Duration) async throws(ThrowawayClusterError) -> Outcome {
        let pid = try Spawn.start(arguments, workingDirectory: workingDirectory, outputPath: outputFile)
        let deadline = ContinuousClock.now + bound
        while true {
            if let status = Spawn.exitStatus(of: pid) { return outcome(status) }
            if Task.isCancelled {
                Spawn.kill(pid)
                throw ThrowawayClusterError(code: .cancelled, message: "Starting the cluster was cancelled.", remedy: "Nothing to do.")
            }
            try checkDeadline(deadline, pid: pid, bound: bound)
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The blocking twin of `run(within:)`, for `stop()` and exit handlers, which cannot await.
    func runBlocking(within bound: Duration) throws(ThrowawayClusterError) -> Outcome {
        let pid = try Spawn.start(arguments, workingDirectory: workingDirectory, outputPath: outputFile)
        let deadline = ContinuousClock.now + bound
        while true {
            if let status = Spawn.exitStatus(of: pid) { return outcome(status) }
            try checkDeadline(deadline, pid: pid, bound: bound)
            usleep(10_000)
        }
    }

    private func checkDeadline(_ deadline: ContinuousClock.Instant, pid: pid_t, bound: Duration) throws(ThrowawayClusterError) {
        guard ContinuousClock.now >= deadline else { return }
        Spawn.kill(pid)
        throw ThrowawayClusterError(
            code: .timedOut,
            message: "\(displayName) did not finish within \(bound) and was killed.",
            remedy: "The machine may be overloaded; raise Options.startTimeout.",
            outputTail: tail(ofFile: outputFile)
        )
    }

    private func outcome(_ status: Int32) -> Outcome {
        Outcome(status: status, output: tail(ofFile: outputFile) ?? "")
    }

    /// The PostgreSQL tool's name, without the `runuser` prefix.
    private var displayName: String {
        arguments.first { $0.hasSuffix("/initdb") || $0.hasSuffix("/pg_ctl") }.map { URL(fileURLWithPath: $0).lastPathComponent } ?? arguments[0]
    }
}

/// The last `lineCount` lines of a text file, or `nil` when it cannot be read or is empty.
func tail(ofFile path: String, lineCount: Int = 25) -> String? {
    guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    return lines.suffix(lineCount + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
}
