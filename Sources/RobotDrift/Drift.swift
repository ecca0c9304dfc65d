import Logging
import MaintenanceRobot
import RobotVerify

/// Compares a live database with what its catalogue builds, and writes the idempotent SQL that repairs the
/// difference: what `robot drift` runs. A service can check for drift at boot and log it:
/// ```swift
/// var options = DriftOptions()
/// options.scratch = .server(scratchSettings)   // a server where drift may create and drop drift_… databases
/// let report = try await Drift(catalogue: catalogue, options: options).check(on: settings, logger: logger)
/// for difference in report.differences { logger.warning("schema drift: \(difference)") }
/// ```
///
/// The fresh install is built on a scratch database (``DriftOptions/scratch``), read and dropped. The live database
/// is only read: catalog queries and `SELECT`s in one `READ ONLY` transaction with the configuration's
/// `lock_timeout` and `statement_timeout`; a role with `CONNECT`, `USAGE` and `SELECT` is enough. Owners and grants
/// are not compared (the roles of a throwaway cluster are not the live server's); seed data is compared for the
/// rows the fresh install holds, found by their key, never for the application's rows.
///
/// ## Topics
/// - ``check(on:logger:)``, ``DriftReport``, ``RepairSQL``
public struct Drift: Sendable {
    public let catalogue: Catalogue
    public var options: DriftOptions

    /// A drift check of a loaded catalogue.
    public init(catalogue: Catalogue, options: DriftOptions = .init()) {
        self.catalogue = catalogue
        self.options = options
    }

    /// A drift check of steps declared in Swift.
    /// - Throws: ``CatalogueError`` when a step is empty, unnamed, repeated or does not lex.
    public init(steps: [Step], options: DriftOptions = .init()) throws(CatalogueError) {
        self.init(catalogue: try Catalogue(steps), options: options)
    }

    /// Builds the fresh install, reads the live database at `settings`, and compares them.
    ///
    /// Scratch databases are dropped (and a throwaway cluster stopped) before this returns or throws.
    /// - Throws: ``DriftError`` when the check could not be carried out; drift itself is in the report.
    public func check(on settings: ConnectionSettings, logger: Logger = Logger(label: "maintenance-robot.drift")) async throws(DriftError) -> DriftReport {
        let started = ContinuousClock.now
        let reader = LiveReader(options: options, logger: logger)
        // The live database first: when it is out of reach, no fresh install is built for nothing.
        let session = try await reader.connect(settings)
        do throws(DriftError) {
            let expected = try await ExpectedInstall(catalogue: catalogue, options: options, logger: logger).read()
            let live = try await reader.read(session, expected: expected)
            await session.close()
            return DriftAnalysis(catalogue: catalogue, expected: expected, live: live, ledgerSchema: options.robotConfiguration.ledgerSchema)
                .report(liveTarget: settings.description, duration: ContinuousClock.now - started)
        } catch {
            await session.close()
            throw error
        }
    }
}
