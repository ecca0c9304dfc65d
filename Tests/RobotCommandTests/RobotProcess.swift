import Foundation
import RobotTestSupport
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The built `robot` executable, run as a user would run it.
enum RobotProcess {
    struct Result {
        let status: TerminationStatus
        let stdout: String
        let stderr: String

        var output: String { stdout + stderr }
        /// The exit code, or `128 + signal` when a signal ended the process.
        var code: Int32 {
            switch status {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }
    }

    /// `robot`, next to the test binary in the build directory.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("robot").path

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A fixture step directory.
    static func steps(_ name: String) -> String { fixtures + "/" + name }

    /// Runs `robot` to completion with `environment` on top of this process's, less its PG* and
    /// DATABASE_URL variables; killed past `timeout`.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(90)) async throws -> Result {
        try await withTimeout(timeout) {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: cleanEnvironment(environment),
                output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
            )
            return Result(status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError)
        }
    }

    /// Runs `robot`, sends it `signal` as soon as `condition` says so, and returns how it ended and how long it
    /// took to end after the signal. The watching runs on an executor of its own, so that a parallel test run's other
    /// tests delay neither the signal nor the time taken.
    static func runAndSignal(
        _ arguments: [String], environment: [String: String], signal: Signal = .kill, timeout: Duration = .seconds(60),
        when condition: @escaping @Sendable () async throws -> Bool
    ) async throws -> (status: TerminationStatus, afterSignal: Duration) {
        try await Task(executorPreference: DedicatedExecutor()) {
            try await watch(arguments, environment: environment, signal: signal, timeout: timeout, when: condition)
        }.value
    }

    private static func watch(
        _ arguments: [String], environment: [String: String], signal: Signal, timeout: Duration,
        when condition: @escaping @Sendable () async throws -> Bool
    ) async throws -> (status: TerminationStatus, afterSignal: Duration) {
        try await withTimeout(timeout) {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: cleanEnvironment(environment),
                input: .none, output: .discarded, error: .discarded
            ) { execution in
                while try await !condition() { try await Task.sleep(for: .milliseconds(50)) }
                try execution.send(signal: signal)
                return ContinuousClock.now
            }
            return (result.terminationStatus, ContinuousClock.now - result.closureResult)
        }
    }

    private static func cleanEnvironment(_ extra: [String: String]) -> Environment {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" }
        variables.merge(extra) { $1 }
        return .custom(Dictionary(uniqueKeysWithValues: variables.map { (Environment.Key(rawValue: $0.key)!, $0.value) }))
    }

    struct TimedOut: Error {
        let limit: Duration
    }

    private static func withTimeout<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut(limit: timeout)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
