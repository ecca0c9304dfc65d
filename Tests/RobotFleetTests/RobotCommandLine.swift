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
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" }
        variables.merge(environment) { $1 }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments),
            environment: .custom(Dictionary(uniqueKeysWithValues: variables.map { (Environment.Key(rawValue: $0.key)!, $0.value) })),
            output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        let code: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return Ending(code: code, stdout: result.standardOutput, stderr: result.standardError)
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
