import Foundation
import Logging
import MaintenanceRobot
import Metrics
import OrchestratorService
import Prometheus
import ServiceLifecycle
import ThrowawayPostgres

/// `orchestrator`: the example service. Reads its configuration from the environment (see
/// docs/example-service.md), prepares the database with its compiled-in steps, then serves the API.
///
/// `orchestrator --throwaway-database` starts a temporary PostgreSQL for it (removed at exit) and, when
/// CREDENTIALS_KEY is unset, uses a one-off key: the way to try the service with nothing set up.
///
/// Exit status 0 after a graceful shutdown (SIGTERM, SIGINT); 1 when the configuration is unusable
/// or the database could not be prepared (a critical step failed: the robot's report is printed).
@main
struct OrchestratorMain {
    static func main() async {
        var environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "orchestrator")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.allSatisfy({ $0 == "--throwaway-database" }) else {
            logger.critical("unknown arguments \(Array(arguments)); the only one is --throwaway-database, the rest comes from the environment (docs/example-service.md)")
            exit(2)
        }
        var cluster: ThrowawayCluster?
        if !arguments.isEmpty {
            do {
                cluster = try await ThrowawayCluster.start()
            } catch {
                logger.critical("\(error)")
                exit(1)
            }
            environment["DATABASE_URL"] = cluster?.url()
            if environment["CREDENTIALS_KEY"] == nil {
                environment["CREDENTIALS_KEY"] = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
                logger.notice("CREDENTIALS_KEY is unset: using a one-off key, as the throwaway database goes away at exit")
            }
        }
        defer { cluster?.stop() }
        do {
            let configuration = try OrchestratorConfiguration.fromEnvironment(environment)
            let steps = try OrchestratorSteps.all + TestHook.extraSteps(environment)
            let tracing = try OTLPTracing.fromEnvironment(logger: logger)
            let metrics = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(OrchestratorMetrics.factory(recordingInto: metrics))
            let app = try OrchestratorApplication.make(configuration: configuration, steps: steps, metrics: metrics,
                                                       tracer: tracing?.tracer, logger: logger) { port in
                // One line on standard output that scripts (and the tests) wait for.
                FileHandle.standardOutput.write(Data("orchestrator listening on \(configuration.host):\(port)\n".utf8))
            }
            try await runUntilShutdown(app, beside: tracing?.service, logger: logger)
        } catch OrchestratorBootError.robot(.cancelled) {
            logger.notice("stopped before the database was prepared (a shutdown signal); nothing half-done stays behind")
        } catch let error as OrchestratorBootError {
            if let report = error.report { print(TextReportRenderer.render(report)) }
            logger.critical("\(error)")
            exit(1)
        } catch {
            logger.critical("the orchestrator stopped: \(error)")
            exit(1)
        }
    }
}

/// Runs the application, and the trace exporter when there is one, until SIGTERM or SIGINT. The exporter stops
/// after the application, gracefully also when the boot fails, so the spans of a failed boot are sent too.
private func runUntilShutdown(_ app: some Service, beside exporter: (any Service)?, logger: Logger) async throws {
    var services = exporter.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []
    services.append(.init(service: app, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
    try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
}

/// A test hook, documented in docs/example-service.md: `ORCHESTRATOR_APPEND_FAILING_STEP=critical`
/// (or `soft`) appends one step that always fails, to show a broken deploy in a real process.
enum TestHook {
    struct UnknownValue: Error, CustomStringConvertible {
        let value: String
        var description: String {
            "ORCHESTRATOR_APPEND_FAILING_STEP: \"\(value)\" is neither critical nor soft. Unset it: it is a test hook."
        }
    }

    static func extraSteps(_ environment: [String: String]) throws(UnknownValue) -> [Step] {
        guard let value = environment["ORCHESTRATOR_APPEND_FAILING_STEP"], !value.isEmpty else { return [] }
        guard value == "critical" || value == "soft" else { throw UnknownValue(value: value) }
        return [Step("Deliberately failing \(value) step (test hook)", critical: value == "critical", sql: """
            DO $$ BEGIN RAISE EXCEPTION 'deliberate failure from ORCHESTRATOR_APPEND_FAILING_STEP'; END $$;
            """)]
    }
}
