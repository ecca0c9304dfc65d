import InMemoryTracing
import Logging
@testable import MaintenanceRobot
import MetricsTestKit
import RobotTestSupport
import Testing
import ThrowawayPostgres
import Tracing

/// A run's metrics and spans, seen through in-memory backends given to the robot.
@Suite struct TelemetryTests {
    static let steps = [
        Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, name text NOT NULL);"),
        Step("Broken seed (v1.0 Update)", sql: "INSERT INTO tenants (name) VALUES (NULL);"),
        Step("Add an email (v1.1 Update)", sql: "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS email text;"),
    ]

    static func robot(metrics: TestMetrics, tracer: InMemoryTracer) throws -> Robot {
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(10)
        var robot = try Robot(steps: steps, configuration: configuration)
        robot.telemetry = RobotTelemetry(metrics: metrics, tracer: tracer)
        return robot
    }

    @Test func aRunOfThreeStepsOneFailingSoftlyGivesItsCountersTimersAndSpanTree() async throws {
        let db = try await Scratch.make()
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        let report = try await Self.robot(metrics: metrics, tracer: tracer).run(on: db.settings)
        #expect(report.outcome == .degraded)

        #expect(try metrics.expectCounter("maintenance_robot_runs_total", [("outcome", "degraded")]).totalValue == 1)
        #expect(try metrics.expectCounter("maintenance_robot_steps_total", [("outcome", "applied")]).totalValue == 2)
        #expect(try metrics.expectCounter("maintenance_robot_steps_total", [("outcome", "failed")]).totalValue == 1)
        #expect(metrics.counters(label: "maintenance_robot_steps_total").count == 2)
        let run = try metrics.expectTimer("maintenance_robot_run_duration_seconds", [("outcome", "degraded")])
        #expect(run.values.count == 1 && run.values[0] > 0)
        for (id, outcome) in [("0001", "applied"), ("0002", "failed"), ("0003", "applied")] {
            let timer = try metrics.expectTimer("maintenance_robot_step_duration_seconds", [("step", id), ("outcome", outcome)])
            #expect(timer.values.count == 1)
        }
        #expect(metrics.timers(label: "maintenance_robot_lock_wait_seconds").isEmpty, "the lock was free")

        let spans = tracer.finishedSpans
        let runSpan = try #require(spans.first { $0.operationName == "maintenance-robot run" })
        let stepSpans = spans.filter { $0.operationName == "maintenance-robot step" }
        #expect(spans.count == 4)
        #expect(stepSpans.map { $0.parentSpanID } == [runSpan.spanID, runSpan.spanID, runSpan.spanID])
        #expect(stepSpans.map { $0.traceID } == [runSpan.traceID, runSpan.traceID, runSpan.traceID])
        #expect(stepSpans.map { $0.attributes["robot.step.id"]?.toSpanAttribute() } == ["0001", "0002", "0003"].map { .string($0) })
        #expect(stepSpans.map { $0.attributes["robot.step.outcome"]?.toSpanAttribute() } == ["applied", "failed", "applied"].map { .string($0) })
        #expect(stepSpans[1].attributes["robot.step.sqlstate"]?.toSpanAttribute() == .string("23502"))
        #expect(stepSpans[1].status?.code == .error)
        #expect(stepSpans[0].status == nil && stepSpans[2].status == nil)
        #expect(runSpan.attributes["robot.outcome"]?.toSpanAttribute() == .string("degraded"))
        #expect(runSpan.attributes["robot.ledger_schema"]?.toSpanAttribute() == .string("maintenance_robot"))
        #expect(runSpan.attributes["robot.steps.applied"]?.toSpanAttribute() == .int64(2))
        let target = "\(runSpan.attributes["robot.target"]?.toSpanAttribute() ?? .string(""))"
        #expect(target.contains(db.settings.database))
    }

    @Test func aWarmRunCountsItsSkippedStepsWithoutASpanForEach() async throws {
        let db = try await Scratch.make()
        let steps = [Self.steps[0], Self.steps[2]]
        _ = try await db.run(steps)
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        var robot = try Self.robot(metrics: metrics, tracer: tracer)
        robot = Robot(catalogue: try Catalogue(steps), configuration: robot.configuration)
        robot.telemetry = RobotTelemetry(metrics: metrics, tracer: tracer)
        let warm = try await robot.run(on: db.settings)
        #expect(warm.count(.skipped) == 2)
        #expect(try metrics.expectCounter("maintenance_robot_steps_total", [("outcome", "skipped")]).totalValue == 2)
        #expect(try metrics.expectCounter("maintenance_robot_runs_total", [("outcome", "succeeded")]).totalValue == 1)
        #expect(metrics.timers(label: "maintenance_robot_step_duration_seconds").isEmpty)
        #expect(tracer.finishedSpans.map(\.operationName) == ["maintenance-robot run"])
    }

    @Test func aRunThatCannotConnectCountsAsAnErrorWithAnErrorSpan() async throws {
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        var robot = try Self.robot(metrics: metrics, tracer: tracer)
        robot.configuration.connectTimeout = .milliseconds(200)
        let settings = ConnectionSettings(host: "127.0.0.1", port: try ThrowawayCluster.freePort(), username: "nobody", password: "hunter2",
                                          database: "none", tls: .disable)
        await #expect(throws: RobotError.self) { _ = try await robot.run(on: settings) }
        #expect(try metrics.expectCounter("maintenance_robot_runs_total", [("outcome", "error")]).totalValue == 1)
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.status?.code == .error)
        #expect(!"\(span.attributes)".contains("hunter2") && !(span.status?.message ?? "").contains("hunter2"))
    }
}
