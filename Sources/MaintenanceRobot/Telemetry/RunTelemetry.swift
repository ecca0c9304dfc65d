import Metrics
import Tracing

/// One run's span, its steps' spans, and at its end its metrics (``RobotTelemetry``).
///
/// Metrics are taken from the finished report, so a run counts the same however it ended; spans are live, so a
/// step's span covers exactly its execution.
struct RunTelemetry: Sendable {
    private let metrics: any MetricsFactory
    private let tracer: any Tracer
    private let span: any Span

    /// Starts the run's span.
    init(_ telemetry: RobotTelemetry, configuration: RobotConfiguration, target: String) {
        metrics = telemetry.metrics ?? MetricsSystem.factory
        tracer = telemetry.tracer ?? InstrumentationSystem.tracer
        span = tracer.startSpan("maintenance-robot run", context: .current ?? .topLevel, ofKind: .internal)
        span.attributes["db.system.name"] = "postgresql"
        span.attributes["robot.target"] = target
        span.attributes["robot.ledger_schema"] = configuration.ledgerSchema.name
        span.attributes["robot.mode"] = configuration.isDryRun ? "dry-run" : configuration.mode.rawValue
        span.attributes["robot.pooler"] = configuration.pooler.rawValue
    }

    /// Runs `work` for `step` inside a span of its own, a child of the run's.
    func step(_ step: CatalogueStep, _ work: () async throws(RobotError) -> StepOutcome) async throws(RobotError) -> StepOutcome {
        let stepSpan = tracer.startSpan("maintenance-robot step", context: span.context, ofKind: .internal)
        stepSpan.attributes["robot.step.id"] = step.id
        stepSpan.attributes["robot.step.name"] = step.name
        stepSpan.attributes["robot.step.position"] = step.position
        do {
            let outcome = try await work()
            stepSpan.attributes["robot.step.outcome"] = outcome.status.rawValue
            stepSpan.attributes["robot.step.tries"] = outcome.tries
            if let failure = outcome.failure {
                stepSpan.attributes["robot.step.sqlstate"] = failure.sqlState
                stepSpan.attributes["robot.step.location"] = failure.location
                stepSpan.setStatus(SpanStatus(code: .error, message: failure.message))
            }
            stepSpan.end()
            return outcome
        } catch {
            stepSpan.recordError(error)
            stepSpan.setStatus(SpanStatus(code: .error, message: error.description))
            stepSpan.end()
            throw error
        }
    }

    /// Ends the run's span and records the run's metrics.
    func end(_ result: Result<RunReport, RobotError>) {
        let report: RunReport?
        switch result {
        case .success(let finished):
            report = finished
        case .failure(let error):
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error, message: error.description))
            report = error.report
        }
        if let report {
            record(report)
        } else {
            Counter(label: "maintenance_robot_runs_total", dimensions: [("outcome", "error")], factory: metrics).increment()
            span.attributes["robot.outcome"] = "error"
        }
        span.end()
    }

    private func record(_ report: RunReport) {
        let outcome = report.outcome.rawValue
        span.attributes["robot.outcome"] = outcome
        Counter(label: "maintenance_robot_runs_total", dimensions: [("outcome", outcome)], factory: metrics).increment()
        Metrics.Timer(label: "maintenance_robot_run_duration_seconds", dimensions: [("outcome", outcome)], factory: metrics)
            .recordSeconds(report.durationSeconds)
        if let waited = report.lockWaitSeconds {
            Metrics.Timer(label: "maintenance_robot_lock_wait_seconds", dimensions: [], factory: metrics).recordSeconds(waited)
            span.attributes["robot.lock_wait_ms"] = Int(waited * 1000)
        }
        var counts: [StepOutcome.Status: Int] = [:]
        for index in report.steps.indices {
            let step = report.steps[index]
            counts[step.status, default: 0] += 1
            guard let milliseconds = step.durationMilliseconds else { continue }
            Metrics.Timer(label: "maintenance_robot_step_duration_seconds", dimensions: [("step", step.id), ("outcome", step.status.rawValue)],
                          factory: metrics).recordMilliseconds(milliseconds)
        }
        for (status, count) in counts {
            Counter(label: "maintenance_robot_steps_total", dimensions: [("outcome", status.rawValue)], factory: metrics).increment(by: count)
            span.attributes["robot.steps.\(status.rawValue)"] = count
        }
    }
}

extension RobotError {
    /// The report a failed run carries: a critical step stopped it, or it was cancelled after planning.
    var report: RunReport? {
        switch self {
        case .criticalStepFailed(let report): report
        case .cancelled(let report): report
        default: nil
        }
    }
}
