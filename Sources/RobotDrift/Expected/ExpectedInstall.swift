import Logging
import MaintenanceRobot
import RobotVerify

/// The fresh install of the catalogue as drift compares with it: its schema entries, their details and its seed rows.
struct ExpectedState: Sendable {
    let entries: [Fingerprint.Entry]
    let details: SchemaDetails
    let seeds: [SeedTable]
    let notes: [String]
    /// Where it was built, without password.
    let location: String
}

/// Builds the fresh install on a scratch database (a throwaway cluster's, or one of `drift_<run>_…` on the scratch
/// server), reads it, and drops it again, as `robot verify` does with its scratch databases.
struct ExpectedInstall {
    let catalogue: Catalogue
    let options: DriftOptions
    let logger: Logger

    func read() async throws(DriftError) -> ExpectedState {
        let configuration = options.robotConfiguration
        let server: ScratchServer
        do {
            server = try await ScratchServer.open(options.scratch, connectTimeout: configuration.connectTimeout, purpose: "drift", logger: logger)
        } catch {
            throw .scratch(error)
        }
        do throws(DriftError) {
            let database = try await install(on: server)
            let state = try await readInstall(await server.settings(database))
            await server.close()
            return state
        } catch {
            await server.close()
            throw error
        }
    }

    /// Applies the catalogue to an empty scratch database; every step must succeed.
    private func install(on server: ScratchServer) async throws(DriftError) -> String {
        var configuration = options.robotConfiguration
        configuration.mode = .apply
        configuration.isDryRun = false
        let database: String
        do {
            database = try await server.createEmpty("fresh")
        } catch {
            throw .scratch(error)
        }
        let report: RunReport
        do {
            report = try await Robot(catalogue: catalogue, configuration: configuration).run(on: await server.settings(database), logger: logger)
        } catch {
            guard case .criticalStepFailed(let stopped) = error else { throw .scratch(.robot(scenario: "fresh install", error)) }
            report = stopped
        }
        let failures = report.failedSteps.map { step in
            "step \(step.position) \"\(step.name)\": \(step.failure?.description ?? "no error recorded")"
        }
        guard failures.isEmpty else { throw .freshInstallFailed(failures) }
        return database
    }

    private func readInstall(_ settings: ConnectionSettings) async throws(DriftError) -> ExpectedState {
        let session: DatabaseSession
        do {
            session = try await DatabaseSession.connect(to: settings, waitingUpTo: options.robotConfiguration.connectTimeout, logger: logger)
        } catch {
            throw .scratch(.connection(error))
        }
        do {
            let filter = SchemaFilter(ledgerSchema: options.robotConfiguration.ledgerSchema.name, comparesOwnership: false)
            let entries = try await Fingerprint.captureSchema(session, filter: filter)
            let details = try await SchemaDetails.read(session, filter: filter)
            let seeds = try await SeedReader(filter: filter, details: details, conflictTargets: ConflictTargets.scan(catalogue)).read(session)
            await session.close()
            return ExpectedState(entries: entries, details: details, seeds: seeds.tables, notes: seeds.notes, location: location)
        } catch {
            await session.close()
            throw .scratch(.scratchDatabase(operation: "read the fresh install from", database: settings.database, error))
        }
    }

    private var location: String {
        switch options.scratch {
        case .throwawayCluster: "throwaway cluster"
        case .server(let settings): settings.description
        }
    }
}
