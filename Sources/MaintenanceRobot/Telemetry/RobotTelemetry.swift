import Metrics
import Tracing

/// Where a robot reports its runs: metrics through swift-metrics and traces through swift-distributed-tracing.
///
/// By default they go to the backends the application bootstrapped (`MetricsSystem.bootstrap`,
/// `InstrumentationSystem.bootstrap`); when it bootstrapped none, both are no-ops. Give a factory or a tracer of
/// your own to see one robot's runs alone (tests do).
///
/// Metrics carry no SQL and no secret in any dimension:
///
/// | name | kind | dimensions |
/// |---|---|---|
/// | `maintenance_robot_runs_total` | counter | `outcome`: succeeded, degraded, stopped, planned, cancelled, or `error` for a run that ended without a report (database unreachable, lock not obtained, broken catalogue …) |
/// | `maintenance_robot_steps_total` | counter | `outcome`: applied, healed, failed, skipped, not-run, pending |
/// | `maintenance_robot_run_duration_seconds` | timer | `outcome` |
/// | `maintenance_robot_lock_wait_seconds` | timer | none; recorded when a run waited for another robot |
/// | `maintenance_robot_step_duration_seconds` | timer | `step` (its id), `outcome`; for each step that ran |
///
/// Traces: a span `maintenance-robot run` for each run (attributes `robot.target` without password,
/// `robot.ledger_schema`, `robot.mode`, `robot.pooler`, `robot.outcome`, the step counts and `robot.lock_wait_ms`),
/// with a child span `maintenance-robot step` for each step that ran (`robot.step.id`, `robot.step.name`,
/// `robot.step.position`, `robot.step.outcome`, `robot.step.tries`, and for a failure `robot.step.sqlstate` and its
/// location); a failure sets the span's status to error.
public struct RobotTelemetry: Sendable {
    /// The metrics backend; `nil`: the one bootstrapped (`MetricsSystem.factory`).
    public var metrics: (any MetricsFactory)?
    /// The tracer; `nil`: the one bootstrapped (`InstrumentationSystem.tracer`).
    public var tracer: (any Tracer)?

    public init(metrics: (any MetricsFactory)? = nil, tracer: (any Tracer)? = nil) {
        self.metrics = metrics
        self.tracer = tracer
    }
}
