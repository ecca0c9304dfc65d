import Foundation
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// `robot run --metrics-file`: the run's metrics in Prometheus text, however the run ends.
@Suite(.timeLimit(.minutes(3))) struct MetricsFileCommandTests {
    static func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "robot-metrics-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aRunWritesItsCountersAndTimers() async throws {
        let (url, _) = try await RobotCommandTests.freshURL()
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/robot.prom"
        let result = try await RobotProcess.run(["run", RobotProcess.steps("probe"), "--metrics-file", file], environment: ["DATABASE_URL": url])
        #expect(result.code == 0, "\(result.output)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(#"maintenance_robot_runs_total{outcome="succeeded"} 1"#), "\(text)")
        #expect(text.contains(#"maintenance_robot_steps_total{outcome="applied"} 3"#), "\(text)")
        #expect(text.contains(#"maintenance_robot_step_duration_seconds_count{step="0002_probe",outcome="applied"} 1"#), "\(text)")
        #expect(text.contains("maintenance_robot_run_duration_seconds_bucket"), "\(text)")
        #expect(!text.contains(RobotCommandTests.secret))
    }

    @Test func aRunThatCannotConnectStillWritesItsFile() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/robot.prom"
        let url = "postgres://app:\(RobotCommandTests.secret)@127.0.0.1:\(try ThrowawayCluster.freePort())/app?sslmode=disable"
        let result = try await RobotProcess.run(["run", RobotProcess.steps("probe"), "--metrics-file", file, "--connect-timeout", "0.3"],
                                                environment: ["DATABASE_URL": url])
        #expect(result.code == 3, "\(result.output)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(#"maintenance_robot_runs_total{outcome="error"} 1"#), "\(text)")
        #expect(!text.contains(RobotCommandTests.secret))
    }

    @Test func aMetricsFileInADirectoryThatDoesNotExistIsAUsageError() async throws {
        let result = try await RobotProcess.run(["run", RobotProcess.steps("probe"), "--metrics-file", "/nonexistent-dir/robot.prom"],
                                                environment: ["DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"])
        #expect(result.code == 2, "\(result.output)")
        #expect(result.stderr.contains("/nonexistent-dir"), "\(result.stderr)")
    }
}
