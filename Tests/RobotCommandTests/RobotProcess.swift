import Foundation

/// The built `robot` executable, run as a user would run it.
struct RobotProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var output: String { stdout + stderr }
    }

    /// `robot` next to the test bundle in the build directory.
    static let executable: String = {
        let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return buildDirectory.appendingPathComponent("robot").path
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A fixture step directory.
    static func steps(_ name: String) -> String { fixtures + "/" + name }

    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()

    /// Starts `robot` with `arguments` and `environment` added to a clean one (no PG variables).
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" }
        base.merge(environment) { $1 }
        process.environment = base
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
    }

    /// Waits for the process to end, killing it past `timeout`.
    func finish(timeout: Duration = .seconds(60)) async throws -> Result {
        async let stdout = Self.readAll(stdoutPipe)
        async let stderr = Self.readAll(stderrPipe)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                struct TimedOut: Error {}
                throw TimedOut()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Result(status: process.terminationStatus, stdout: await stdout, stderr: await stderr)
    }

    /// Sends SIGKILL.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// Runs `robot` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Result {
        try await RobotProcess(arguments, environment: environment).finish(timeout: timeout)
    }

    private static func readAll(_ pipe: Pipe) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }
}
