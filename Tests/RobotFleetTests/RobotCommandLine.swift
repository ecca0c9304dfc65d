import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The built `robot` executable, started as a user starts it, for fleet commands.
enum RobotCommandLine {
    struct Ending: Sendable {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    /// `robot`, beside the test binary in the build directory.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("robot").path

    /// Runs `robot arguments` to its end, with `environment` instead of this process's PG variables and DATABASE_URL;
    /// the task group's bound (the suite's time limit) ends it otherwise.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Ending {
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: clean(environment),
            output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        return Ending(code: code(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
    }

    /// This process's environment less its PG variables and DATABASE_URL, with `extra` on top.
    private static func clean(_ extra: [String: String]) -> Environment {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" }
        variables.merge(extra) { $1 }
        return .custom(Dictionary(uniqueKeysWithValues: variables.map { (Environment.Key(rawValue: $0.key)!, $0.value) }))
    }

    /// The exit code, or 128 + the signal that ended the process.
    private static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// Runs `robot arguments`, sends it SIGINT as soon as `condition` says so (or after a minute, when the process may
    /// have ended already: the caller's expectations then say what happened), then runs `afterwards`, and returns how
    /// the process ended.
    static func runAndInterrupt(
        _ arguments: [String], environment: [String: String], when condition: @escaping @Sendable () async throws -> Bool,
        afterwards: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> Ending {
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: clean(environment), input: .none,
            output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        ) { execution in
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, try await !condition() { try await Task.sleep(for: .milliseconds(20)) }
            try? execution.send(signal: .interrupt)
            try await afterwards()
        }
        return Ending(code: code(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Runs several `robot` processes at once and returns how each ended, in order.
    static func runTogether(_ commands: [(arguments: [String], environment: [String: String])]) async throws -> [Ending] {
        try await withThrowingTaskGroup(of: (Int, Ending).self) { group in
            for (index, command) in commands.enumerated() {
                group.addTask { (index, try await run(command.arguments, environment: command.environment)) }
            }
            var endings: [Int: Ending] = [:]
            for try await (index, ending) in group { endings[index] = ending }
            return commands.indices.compactMap { endings[$0] }
        }
    }
}
