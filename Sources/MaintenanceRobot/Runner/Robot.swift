import Logging

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
/// Cancelling the run's task (a server shutting down) stops it promptly: ``RobotError/cancelled(_:)``.
///
/// ## Topics
/// ### Steps
/// - ``init(steps:configuration:)``
/// - ``init(catalogue:configuration:)``
/// - ``init(stepDirectory:configuration:)``
/// - ``catalogue()``
/// ### Running
/// - ``run(on:logger:)``
/// - ``run(borrowing:logger:)``
/// - ``status(on:logger:)``
/// - ``RobotConfiguration``
/// - ``telemetry``
/// - ``RunReport``
/// - ``RobotError``
public struct Robot: Sendable {
    /// This robot's version, recorded in the ledger.
    public static let version = "0.1.0"

    public var configuration: RobotConfiguration
    /// Where runs report their metrics and traces: by default the backends the application bootstrapped.
    public var telemetry = RobotTelemetry()
    /// Where ``run(on:logger:)`` takes its connection and leaves it when the run ends, instead of connecting and
    /// closing: a fleet's, shared by its targets.
    package var sessions: SessionPool?
    private let source: Source

    private enum Source: Sendable {
        /// Lexed and validated.
        case catalogue(Catalogue)
        /// A step directory, read when the robot runs and lexed only when the ledger does not record it as applied.
        case directory(String)
    }

    /// A robot for steps declared in Swift, lexed and validated at once.
    /// - Throws: ``CatalogueError`` when a step is empty, unnamed, repeated or does not lex.
    public init(steps: [Step], configuration: RobotConfiguration = .init()) throws(CatalogueError) {
        self.init(catalogue: try Catalogue(steps), configuration: configuration)
    }

    /// A robot for a catalogue already loaded and validated (for example with ``StepDirectory/load(_:)``).
    public init(catalogue: Catalogue, configuration: RobotConfiguration = .init()) {
        self.source = .catalogue(catalogue)
        self.configuration = configuration
    }

    /// A robot for the step directory at `path` (``StepDirectory``), which a run reads while it connects and
    /// lexes only when the ledger does not record it as applied (a warm boot compares one digest).
    /// A broken directory is reported by the run (``RobotError/catalogue(_:)``) before anything runs.
    public init(stepDirectory path: String, configuration: RobotConfiguration = .init()) {
        self.source = .directory(path)
        self.configuration = configuration
    }

    /// The catalogue, lexed and validated.
    /// - Throws: ``CatalogueError`` when a step does not lex or has no statement, or the step directory is broken.
    public func catalogue() throws(CatalogueError) -> Catalogue {
        try catalogue(declaredAs: declaration())
    }

    /// The steps as declared: a step directory is read.
    func declaration() throws(CatalogueError) -> CatalogueDeclaration {
        switch source {
        case .catalogue(let catalogue): catalogue.declaration
        case .directory(let path): try StepDirectory.declaration(in: path)
        }
    }

    /// The catalogue of `declaration`, this robot's steps as read for a run.
    func catalogue(declaredAs declaration: CatalogueDeclaration) throws(CatalogueError) -> Catalogue {
        if case .catalogue(let catalogue) = source { return catalogue }
        return try declaration.validated()
    }

    /// Connects (waiting up to ``RobotConfiguration/connectTimeout`` for the database to accept
    /// connections), runs the catalogue and closes the connection.
    ///
    /// - Returns: the report; soft failures are in it (``RunReport/outcome`` is `degraded`).
    /// - Throws: ``RobotError/criticalStepFailed(_:)`` when a critical step failed (the report is
    ///   in the error), ``RobotError/cancelled(_:)`` when the task was cancelled, and the other
    ///   ``RobotError`` cases when nothing could run.
    public func run(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> RunReport {
        let telemetry = RunTelemetry(self.telemetry, configuration: configuration, target: settings.description)
        do {
            let report = try await run(on: settings, telemetry: telemetry, logger: logger)
            telemetry.end(.success(report))
            return report
        } catch {
            telemetry.end(.failure(error))
            throw error
        }
    }

    private func run(on settings: ConnectionSettings, telemetry: RunTelemetry, logger: Logger) async throws(RobotError) -> RunReport {
        let (declared, opened) = await withTaskGroup(of: Result<(DatabaseSession, RunOpening), RobotError>.self) { group in
            // The server takes a moment to start a backend for the connection, and the run's first round trips need
            // no steps: the steps are read meanwhile. A broken catalogue stops the connecting.
            group.addTask { await open(settings, logger: logger) }
            let declaration = Result { () throws(CatalogueError) in try self.declaration() }
            if case .failure = declaration { group.cancelAll() }
            return (declaration, await group.next() ?? .failure(.cancelled(nil)))
        }
        let declaration: CatalogueDeclaration
        switch declared {
        case .success(let steps):
            declaration = steps
        case .failure(let error):
            if case .success(let (session, _)) = opened { await release(session, to: settings, ranSteps: false, broken: false) }
            throw .catalogue(error)
        }
        let (session, opening) = try opened.get()
        do {
            let report = try await RunExecution(robot: self, declaration: declaration, session: session, target: settings.description,
                                                telemetry: telemetry, logger: logger).run(opening)
            await release(session, to: settings, ranSteps: report.steps.contains { $0.status != .skipped && $0.status != .pending },
                          broken: false)
            return report
        } catch {
            await release(session, to: settings, ranSteps: true, broken: error.leavesTheSessionBroken)
            throw error
        }
    }

    /// Runs the catalogue on a connection the caller already has, such as one leased from its
    /// `PostgresClient` (`DatabaseSession(borrowing: connection)`). The connection stays open.
    ///
    /// - note: Notices raised by steps are not captured on a borrowed connection.
    public func run(borrowing session: DatabaseSession, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> RunReport {
        let telemetry = RunTelemetry(self.telemetry, configuration: configuration, target: session.target)
        do throws(RobotError) {
            let declaration: CatalogueDeclaration
            do {
                declaration = try self.declaration()
            } catch {
                throw .catalogue(error)
            }
            let opening = try await RunOpening.open(session, configuration: configuration, logger: logger)
            let report = try await RunExecution(robot: self, declaration: declaration, session: session, target: session.target,
                                                telemetry: telemetry, logger: logger).run(opening)
            telemetry.end(.success(report))
            return report
        } catch {
            telemetry.end(.failure(error))
            throw error
        }
    }

    /// Each step's standing in the database's ledger: applied, pending, failed, or changed since applied.
    public func status(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot")) async throws(RobotError) -> CatalogueStatus {
        let catalogue: Catalogue
        do {
            catalogue = try self.catalogue()
        } catch {
            throw .catalogue(error)
        }
        let session = try await session(to: settings, logger: logger)
        let rows: [LedgerRow]?
        let invalidIndexes: [InvalidIndex]
        do throws(RobotError) {
            // The run's timeouts bound the read, so a ledger table another session holds locked cannot stall it.
            try await RunSessionSettings.setUp(session, for: configuration)
            rows = try await Ledger(schema: configuration.ledgerSchema)
                .read(using: RunTransaction(session: session, configuration: configuration, logger: logger))
            invalidIndexes = try await Self.invalidIndexes(of: catalogue, on: session)
            await release(session, to: settings, ranSteps: false, broken: false)
        } catch {
            await release(session, to: settings, ranSteps: false, broken: error.leavesTheSessionBroken)
            throw error
        }
        var status = CatalogueStatus(plan: Plan(catalogue: catalogue, ledger: rows, mode: .apply), target: settings.description,
                                     ledgerSchema: configuration.ledgerSchema.name)
        status.invalidIndexes = invalidIndexes
        return status
    }

    private static func invalidIndexes(of catalogue: Catalogue, on session: DatabaseSession) async throws(RobotError) -> [InvalidIndex] {
        do {
            return try await InvalidIndex.read(on: session, catalogue: catalogue)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: "look for INVALID indexes", error)
        }
    }

    /// Connects and sends the run's first round trips (``RunOpening``).
    private func open(_ settings: ConnectionSettings, logger: Logger) async -> Result<(DatabaseSession, RunOpening), RobotError> {
        let session: DatabaseSession
        do {
            session = try await self.session(to: settings, logger: logger)
        } catch {
            return .failure(error)
        }
        do {
            return .success((session, try await RunOpening.open(session, configuration: configuration, logger: logger)))
        } catch {
            await release(session, to: settings, ranSteps: false, broken: error.leavesTheSessionBroken)
            return .failure(error)
        }
    }

    /// A session to `settings`: an idle one from ``sessions``, or a new connection.
    private func session(to settings: ConnectionSettings, logger: Logger) async throws(RobotError) -> DatabaseSession {
        guard let sessions else { return try await connect(settings, logger: logger) }
        return try await sessions.session(to: settings) { () async throws(RobotError) in try await connect(settings, logger: logger) }
    }

    /// Closes the run's session, or gives it back to ``sessions``: for reuse unless it is `broken`, reset if the run
    /// ran steps (which may have changed it). What the run itself sets, it sets again at its start.
    private func release(_ session: DatabaseSession, to settings: ConnectionSettings, ranSteps: Bool, broken: Bool) async {
        guard let sessions else { return await session.close() }
        await sessions.giveBack(session, to: settings, reusable: !broken, resetting: ranSteps)
    }

    private func connect(_ settings: ConnectionSettings, logger: Logger) async throws(RobotError) -> DatabaseSession {
        do {
            return try await DatabaseSession.connect(to: settings, waitingUpTo: configuration.connectTimeout, logger: logger)
        } catch ConnectionError.cancelled {
            throw .cancelled(nil)
        } catch {
            throw .connection(error)
        }
    }
}
