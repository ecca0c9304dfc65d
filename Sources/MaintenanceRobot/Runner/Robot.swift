import Logging
import PostgresNIO

/// The Maintenance Robot: brings a PostgreSQL database to the shape its service expects by
/// applying a catalogue of idempotent steps, each in its own transaction, recorded in a ledger.
///
/// A Swift server runs it before it listens:
/// ```swift
/// let robot = try Robot(steps: AppSteps.all)
/// let report = try await robot.run(on: .fromEnvironment(), logger: logger)
/// ```
/// A warm boot (every step applied) costs a couple of round trips. When there is work, the robot
/// takes an advisory lock so replicas booting together apply each step exactly once. A failed
/// step is rolled back and recorded; the run goes on unless the step is critical, in which case
/// ``run(on:logger:)`` throws ``RobotError/criticalStepFailed(_:)`` and the service must not start.
///
/// ## Topics
/// - ``init(steps:configuration:)``
/// - ``init(catalogue:configuration:)``
/// - ``run(on:logger:)``
/// - ``run(borrowing:target:logger:)``
/// - ``status(on:logger:)``
/// - ``RobotConfiguration``
/// - ``RunReport``
public struct Robot: Sendable {
    /// This robot's version, recorded in the ledger.
    public static let version = "0.1.0"

    public let catalogue: Catalogue
    public var configuration: RobotConfiguration

    /// A robot for steps declared in Swift.
    /// - Throws: ``CatalogueError`` when a step is empty, unnamed, repeated or does not lex.
    public init(steps: [Step], configuration: RobotConfiguration = .init()) throws(CatalogueError) {
        self.init(catalogue: try Catalogue(steps), configuration: configuration)
    }

    /// A robot for a catalogue already loaded (for example from a step directory).
    public init(catalogue: Catalogue, configuration: RobotConfiguration = .init()) {
        self.catalogue = catalogue
        self.configuration = configuration
    }

    /// Connects (waiting up to ``RobotConfiguration/connectTimeout`` for the database to accept
    /// connections), runs the catalogue and closes the connection.
    ///
    /// - Returns: the report; soft failures are in it (``RunReport/outcome`` is `degraded`).
    /// - Throws: ``RobotError/criticalStepFailed(_:)`` when a critical step failed (the report is
    ///   in the error), and the other ``RobotError`` cases when nothing could run.
    public func run(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> RunReport {
        let session = try await connect(settings, logger: logger)
        do {
            let report = try await RunExecution(robot: self, session: session, target: settings.description, logger: logger).run()
            await session.close()
            return report
        } catch {
            await session.close()
            throw error
        }
    }

    /// Runs the catalogue on a connection the caller already has, such as one leased from its
    /// `PostgresClient`. The connection stays open.
    ///
    /// - note: Notices raised by steps are not captured on a borrowed connection.
    public func run(borrowing connection: PostgresConnection, target: String, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> RunReport {
        let session = DatabaseSession(borrowing: connection, logger: logger)
        return try await RunExecution(robot: self, session: session, target: target, logger: logger).run()
    }

    /// Each step's standing in the database's ledger: applied, pending, failed, or changed since applied.
    public func status(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> CatalogueStatus {
        let session = try await connect(settings, logger: logger)
        let rows: [LedgerRow]?
        do {
            rows = try await Ledger(schema: configuration.ledgerSchema).read(session)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
        return CatalogueStatus(plan: Plan(catalogue: catalogue, ledger: rows, mode: .apply), target: settings.description,
                               ledgerSchema: configuration.ledgerSchema.name)
    }

    private func connect(_ settings: ConnectionSettings, logger: Logger) async throws(RobotError) -> DatabaseSession {
        do {
            return try await DatabaseSession.connect(to: settings, waitingUpTo: configuration.connectTimeout, logger: logger)
        } catch {
            throw .connection(error)
        }
    }
}
