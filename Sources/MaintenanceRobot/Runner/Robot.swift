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
/// - ``init(declaration:configuration:)``
/// - ``init(stepDirectory:configuration:)``
/// - ``init(reading:configuration:)``
/// - ``run(on:logger:)``
/// - ``run(borrowing:target:logger:)``
/// - ``status(on:logger:)``
/// - ``RobotConfiguration``
/// - ``RunReport``
public struct Robot: Sendable {
    /// This robot's version, recorded in the ledger.
    public static let version = "0.1.0"

    public var configuration: RobotConfiguration
    private let steps: Steps

    /// Where a robot's steps are, and how far they have been checked.
    private enum Steps: Sendable {
        /// Lexed and validated.
        case validated(Catalogue)
        /// Read and declared, lexed when a run needs them.
        case declared(CatalogueDeclaration)
        /// A step directory, read when the robot runs, while its connection is set up.
        case directory(String)
        /// A step directory being read since before the robot existed.
        case reading(StepDirectory.Reading)
    }

    /// A robot for steps declared in Swift, lexed and validated at once.
    /// - Throws: ``CatalogueError`` when a step is empty, unnamed, repeated or does not lex.
    public init(steps: [Step], configuration: RobotConfiguration = .init()) throws(CatalogueError) {
        self.init(catalogue: try Catalogue(steps), configuration: configuration)
    }

    /// A robot for a catalogue already loaded and validated (for example with ``StepDirectory/load(_:)``).
    public init(catalogue: Catalogue, configuration: RobotConfiguration = .init()) {
        self.steps = .validated(catalogue)
        self.configuration = configuration
    }

    /// A robot that lexes and validates its steps only when a run needs them: not on a warm boot, when the
    /// ledger records this very declaration as applied (see ``CatalogueDeclaration``). A step that does not
    /// lex is reported by the run (``RobotError/catalogue(_:)``) before anything runs.
    public init(declaration: CatalogueDeclaration, configuration: RobotConfiguration = .init()) {
        self.steps = .declared(declaration)
        self.configuration = configuration
    }

    /// A robot for the step directory at `path` (``StepDirectory``), which ``run(on:logger:)`` reads in the
    /// background while it connects (``StepDirectory/Reading``), and lexes only when the ledger does not record
    /// it as applied.
    /// A broken directory is reported by the run (``RobotError/catalogue(_:)``) before anything runs.
    public init(stepDirectory path: String, configuration: RobotConfiguration = .init()) {
        self.steps = .directory(path)
        self.configuration = configuration
    }

    /// A robot for a step directory that is being read already (``StepDirectory/Reading``): its run waits for
    /// the reading rather than reading the directory itself; otherwise as ``init(stepDirectory:configuration:)``.
    public init(reading: StepDirectory.Reading, configuration: RobotConfiguration = .init()) {
        self.steps = .reading(reading)
        self.configuration = configuration
    }

    /// The steps as declared. A step directory being read (``init(reading:configuration:)``) is read again.
    /// - Throws: ``CatalogueError`` when the step directory is broken.
    public func declaration() throws(CatalogueError) -> CatalogueDeclaration {
        switch steps {
        case .validated(let catalogue): catalogue.declaration
        case .declared(let declaration): declaration
        case .directory(let path): try StepDirectory.declaration(in: path)
        case .reading(let reading): try StepDirectory.declaration(in: reading.path)
        }
    }

    /// The steps as declared, for a run: a step directory is read in the background (``StepDirectory/Reading``).
    private func runDeclaration() async throws(CatalogueError) -> CatalogueDeclaration {
        switch steps {
        case .reading(let reading): try await reading.declaration()
        case .directory(let path): try await StepDirectory.Reading(path).declaration()
        case .validated, .declared: try declaration()
        }
    }

    /// The catalogue, lexed and validated.
    /// - Throws: ``CatalogueError`` when a step does not lex or has no statement, or the step directory is broken.
    public func catalogue() throws(CatalogueError) -> Catalogue {
        try catalogue(declaredAs: declaration())
    }

    /// The catalogue of `declaration`, this robot's steps as read for a run.
    func catalogue(declaredAs declaration: CatalogueDeclaration) throws(CatalogueError) -> Catalogue {
        if case .validated(let catalogue) = steps { return catalogue }
        return try declaration.validated()
    }

    /// Connects (waiting up to ``RobotConfiguration/connectTimeout`` for the database to accept
    /// connections), runs the catalogue and closes the connection.
    ///
    /// - Returns: the report; soft failures are in it (``RunReport/outcome`` is `degraded`).
    /// - Throws: ``RobotError/criticalStepFailed(_:)`` when a critical step failed (the report is
    ///   in the error), and the other ``RobotError`` cases when nothing could run.
    public func run(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> RunReport {
        // The server takes a moment to start a backend for the connection, and the run's first round trips
        // need no steps: read them meanwhile.
        let opener = Task { await open(settings, logger: logger) }
        let opened = { await withTaskCancellationHandler { await opener.value } onCancel: { opener.cancel() } }
        let declaration: CatalogueDeclaration
        do {
            declaration = try await runDeclaration()
        } catch {
            opener.cancel()
            if case .success(let (session, _)) = await opened() { await session.close() }
            throw .catalogue(error)
        }
        let (session, opening) = try await opened().get()
        do {
            let report = try await RunExecution(robot: self, declaration: declaration, session: session, target: settings.description,
                                                logger: logger).run(opening)
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
        let declaration: CatalogueDeclaration
        do {
            declaration = try await runDeclaration()
        } catch {
            throw .catalogue(error)
        }
        let session = DatabaseSession(borrowing: connection, logger: logger)
        let opening = try await RunOpening.open(session, configuration: configuration)
        return try await RunExecution(robot: self, declaration: declaration, session: session, target: target, logger: logger).run(opening)
    }

    /// Each step's standing in the database's ledger: applied, pending, failed, or changed since applied.
    public func status(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> CatalogueStatus {
        let catalogue: Catalogue
        do {
            catalogue = try self.catalogue()
        } catch {
            throw .catalogue(error)
        }
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

    /// Connects and sends the run's first round trips (``RunOpening``).
    private func open(_ settings: ConnectionSettings, logger: Logger) async -> Result<(DatabaseSession, RunOpening), RobotError> {
        let session: DatabaseSession
        do {
            session = try await connect(settings, logger: logger)
        } catch {
            return .failure(error)
        }
        do {
            return .success((session, try await RunOpening.open(session, configuration: configuration)))
        } catch {
            await session.close()
            return .failure(error)
        }
    }

    private func connect(_ settings: ConnectionSettings, logger: Logger) async throws(RobotError) -> DatabaseSession {
        do {
            return try await DatabaseSession.connect(to: settings, waitingUpTo: configuration.connectTimeout, logger: logger)
        } catch {
            throw .connection(error)
        }
    }
}
