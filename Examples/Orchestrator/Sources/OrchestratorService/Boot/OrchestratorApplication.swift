import Hummingbird
import Logging
import MaintenanceRobot
import NIOSSL
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Tracing

/// Builds the orchestrator: a Hummingbird application whose database pool runs as a service, and
/// whose robot prepares the database before the server accepts its first request.
///
/// ```swift
/// let metrics = PrometheusCollectorRegistry()   // GET /metrics shows it
/// let app = try OrchestratorApplication.make(configuration: .fromEnvironment(), metrics: metrics, logger: logger)
/// try await app.runService()   // throws OrchestratorBootError when a critical step fails
/// ```
public enum OrchestratorApplication {
    /// The application for `configuration`, preparing the database with `steps` at boot.
    ///
    /// - Parameters:
    ///   - steps: the catalogue the robot applies; ``OrchestratorSteps/all`` in production, another
    ///     array in tests (a prefix to rebuild an old release, or one with a deliberately broken step).
    ///   - metrics: where the robot records its counters and timers; `GET /metrics` shows it. Give each application
    ///     its own (tests run several in one process).
    ///   - tracer: where the robot's spans go; nil: the tracer bootstrapped through `InstrumentationSystem`, if any.
    ///   - onListening: called with the bound port once the server accepts connections.
    /// - Throws: ``OrchestratorBootError/catalogue(_:)`` when `steps` is not a valid catalogue.
    public static func make(
        configuration: OrchestratorConfiguration,
        steps: [Step] = OrchestratorSteps.all,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        tracer: (any Tracer)? = nil,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(OrchestratorBootError) -> some ApplicationProtocol {
        var robot: Robot
        do {
            robot = try Robot(steps: steps, configuration: configuration.robot)
        } catch {
            throw .catalogue(error)
        }
        robot.telemetry = RobotTelemetry(metrics: OrchestratorMetrics.factory(recordingInto: metrics), tracer: tracer)
        let client = PostgresClient(configuration: poolConfiguration(configuration.database), backgroundLogger: logger)
        let bootReport = BootReport()
        let router = Router()
        // Records through the bootstrapped swift-metrics backend, which the executable points at `metrics` too.
        router.add(middleware: MetricsMiddleware())
        OrchestratorRoutes(store: OrchestratorStore(client: client, logger: logger), cipher: configuration.cipher, bootReport: bootReport,
                           metrics: metrics)
            .register(on: router)
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "orchestrator"),
            services: [client],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.notice("orchestrator listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
                await onListening(port)
            },
            logger: logger
        )
        app.beforeServerStarts { [robot] in
            await bootReport.record(try await prepareDatabase(robot: robot, settings: configuration.database, logger: logger))
        }
        return app
    }

    /// Runs the robot on its own connection; only a critical failure (or no database) stops the boot. A graceful
    /// shutdown (SIGTERM) cancels the run, so a boot waiting for another replica's lock stops at once.
    private static func prepareDatabase(robot: Robot, settings: ConnectionSettings, logger: Logger) async throws(OrchestratorBootError) -> RunReport {
        do {
            let report = try await cancelWhenGracefulShutdown { () async throws(RobotError) in
                try await robot.run(on: settings, logger: logger)
            }
            let level: Logger.Level = report.outcome == .degraded ? .warning : .notice
            logger.log(level: level, "database prepared", metadata: [
                "outcome": "\(report.outcome.rawValue)", "applied": "\(report.count(.applied))",
                "skipped": "\(report.count(.skipped))", "failed": "\(report.count(.failed))",
            ])
            for step in report.failedSteps {
                logger.warning("step failed; the service runs degraded", metadata: [
                    "step": "\(step.position) \(step.name)", "error": "\(step.failure?.description ?? "unknown")",
                ])
            }
            return report
        } catch let error as RobotError {
            throw .robot(error)
        } catch {
            throw .robot(.cancelled(nil))
        }
    }

    /// The pool's configuration for the same database the robot prepares.
    static func poolConfiguration(_ settings: ConnectionSettings) -> PostgresClient.Configuration {
        if settings.isUnixSocket {
            return .init(unixSocketPath: "\(settings.host)/.s.PGSQL.\(settings.port)", username: settings.username,
                         password: settings.password, database: settings.database)
        }
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        tlsConfiguration.certificateVerification = switch settings.tls {
        case .disable, .allow, .prefer, .require: .none
        case .verifyCA: .noHostnameVerification
        case .verifyFull: .fullVerification
        }
        if let roots = settings.tlsRootCertificatePath { tlsConfiguration.trustRoots = .file(roots) }
        let tls: PostgresClient.Configuration.TLS = switch settings.tls {
        case .disable: .disable
        case .allow, .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
        return .init(host: settings.host, port: settings.port, username: settings.username, password: settings.password,
                     database: settings.database, tls: tls)
    }
}
