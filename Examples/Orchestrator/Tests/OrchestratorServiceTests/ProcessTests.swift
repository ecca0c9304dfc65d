import Foundation
import HummingbirdTesting
import MaintenanceRobot
import OrchestratorService
import RobotTestSupport
import Subprocess
import Testing

/// The built `orchestrator` executable, run as a deployment runs it.
@Suite struct ProcessTests {
    @Test func fourReplicasBootingAtOnceAllComeUpAndEveryStepIsAppliedOnce() async throws {
        let db = try await ServiceDatabase.make()
        let environment = OrchestratorProcess.environment(for: db)
        let healths = try await withThrowingTaskGroup(of: HealthResponse.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await OrchestratorProcess.whileListening(environment: environment) { port in
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                            let response = try await client.get("/health")
                            let decoder = JSONDecoder()
                            return try decoder.decode(HealthResponse.self, from: Data(try #require(response.body).readableBytesView))
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(healths.count == 4)
        #expect(healths.allSatisfy { $0.status == "ok" && $0.robot.failed == 0 })
        #expect(healths.map { $0.robot.applied }.reduce(0, +) == OrchestratorSteps.all.count)
        let ledger = try await db.query("SELECT status, attempts FROM maintenance_robot.steps ORDER BY position")
        #expect(ledger == Array(repeating: ["applied", "1"], count: OrchestratorSteps.all.count))
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.runs") == "4")
        #expect(try await db.value("SELECT count(*) FROM oauth_providers") == "5")
    }

    @Test func failingCriticalStepExitsNonZeroWithTheReportBeforeListening() async throws {
        let db = try await ServiceDatabase.make()
        var environment = OrchestratorProcess.environment(for: db)
        environment["ORCHESTRATOR_APPEND_FAILING_STEP"] = "critical"
        let result = try await OrchestratorProcess.runToEnd(environment: environment)
        #expect(result.status == .exited(1))
        #expect(!result.stdout.contains("orchestrator listening on"))
        #expect(result.stdout.contains("Deliberately failing critical step (test hook)"))
        #expect(result.stderr.contains("critical step"))
        #expect(try await db.value("SELECT count(*) FROM tenants") == "0")
    }

    @Test func sigtermWhileTheBootWaitsForAnotherRobotsLockExitsWithinTwoSeconds() async throws {
        let db = try await ServiceDatabase.make()
        let holder = try await TestQueries.holdRobotLock(on: db.settings)
        // The holder and the service's robot, besides the backend that asks.
        let robots = """
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name = 'maintenance-robot' AND datname = current_database() AND pid <> pg_backend_pid()
            """
        let (result, afterSignal) = try await OrchestratorProcess.runAndTerminate(environment: OrchestratorProcess.environment(for: db)) {
            guard try await db.value(robots) == "2" else { return false }
            // Connected; its first try of the lock comes right after.
            try await Task.sleep(for: .milliseconds(300))
            return true
        }
        #expect(result.status == .exited(0), "\(result.stderr)")
        #expect(afterSignal < .seconds(2), "exited \(afterSignal) after SIGTERM")
        #expect(!result.stdout.contains("orchestrator listening on"))
        #expect(result.stderr.contains("stopped before the database was prepared"), "\(result.stderr)")
        #expect(try await db.value(robots) == "1", "only the holder is left")
        #expect(try await db.value("SELECT to_regclass('tenants')::text") == nil, "no step ran")
        await holder.release()
    }

    @Test(arguments: [("", "is not set"), ("bm90LWEta2V5", "is 9 bytes long"), ("%%%", "not valid base64")])
    func unusableCredentialsKeyExitsWithAClearErrorThatNeverShowsTheKey(key: String, problem: String) async throws {
        let db = try await ServiceDatabase.make()
        var environment = OrchestratorProcess.environment(for: db)
        environment["CREDENTIALS_KEY"] = key
        let result = try await OrchestratorProcess.runToEnd(environment: environment)
        #expect(result.status == .exited(1))
        #expect(result.stderr.contains("CREDENTIALS_KEY: "))
        #expect(result.stderr.contains(problem))
        #expect(key.isEmpty || !result.stderr.contains(key))
    }
}

/// Starting the built `orchestrator` with swift-subprocess.
enum OrchestratorProcess {
    /// `orchestrator` next to the test binary in the build directory (the test target depends on it).
    static let executable: String = {
        let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return buildDirectory.appendingPathComponent("orchestrator").path
    }()

    struct Result {
        var status: TerminationStatus
        var stdout: String
        var stderr: String
    }

    /// The service's environment for `db`: its own variables only, none of the database's or OpenTelemetry's inherited
    /// from the test run.
    static func environment(for db: ServiceDatabase) -> [String: String] {
        [
            "DATABASE_URL": db.settings.description,
            "CREDENTIALS_KEY": db.base64Key,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "ROBOT_CONNECT_TIMEOUT": "10",
            "ROBOT_LOCK_WAIT": "60",
            "LOG_LEVEL": "notice",
        ]
    }

    /// Runs the service until it exits by itself, killing it after `limit`.
    static func runToEnd(environment: [String: String], limit: Duration = .seconds(60)) async throws -> Result {
        let result = try await withTimeout(limit) {
            try await run(.path(.init(executable)), environment: custom(environment), platformOptions: teardown,
                          output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        }
        return Result(status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Runs the service, sends it SIGTERM as soon as `condition` says so, and returns how it ended and how long it
    /// took to end after the signal.
    static func runAndTerminate(
        environment: [String: String], limit: Duration = .seconds(60), when condition: @escaping @Sendable () async throws -> Bool
    ) async throws -> (Result, afterSignal: Duration) {
        let result = try await withTimeout(limit) {
            try await run(.path(.init(executable)), environment: custom(environment), platformOptions: teardown,
                          input: .none, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)) { execution in
                while try await !condition() { try await Task.sleep(for: .milliseconds(50)) }
                try execution.send(signal: .terminate)
                return ContinuousClock.now
            }
        }
        let ended = ContinuousClock.now
        return (Result(status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError),
                ended - result.closureResult)
    }

    /// Starts the service, waits (up to `limit`) for its "listening" line, runs `body` with its port, then
    /// stops it with SIGTERM and expects a clean exit.
    static func whileListening<Value: Sendable>(
        environment: [String: String], limit: Duration = .seconds(120), _ body: @escaping @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        let result = try await withTimeout(limit) {
            try await run(.path(.init(executable)), environment: custom(environment), platformOptions: teardown,
                          input: .none, output: .sequence, error: .discarded) { execution in
                var port: Int?
                for try await line in execution.standardOutput.strings() {
                    if let found = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                       line.hasPrefix("orchestrator listening on ") {
                        port = found
                        break
                    }
                }
                guard let port else { throw EndedBeforeListening() }
                let value = try await body(port)
                try execution.send(signal: .terminate)
                return value
            }
        }
        #expect(result.terminationStatus == .exited(0))
        return result.closureResult
    }

    /// When a bounded wait cancels the run: SIGTERM, then SIGKILL two seconds later.
    private static var teardown: PlatformOptions {
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]
        return options
    }

    private static func custom(_ environment: [String: String]) -> Subprocess.Environment {
        var full = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" && !$0.key.hasPrefix("OTEL_")
        }
        full.merge(environment) { $1 }
        // Each entry is handed to execve as a C string, so it carries its terminating NUL.
        return .custom(full.map { Array("\($0.key)=\($0.value)".utf8) + [0] })
    }
}

/// The service ended without printing its "listening" line.
struct EndedBeforeListening: Error {}
