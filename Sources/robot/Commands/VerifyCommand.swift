import ArgumentParser
import Foundation
import Logging
import MaintenanceRobot
import RobotVerify

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove on a real PostgreSQL that the catalogue installs cleanly, is idempotent, and that every upgrade path ends where a fresh install does.",
        discussion: """
            Scenarios, each on its own scratch database: fresh install (no step may fail, soft failures
            included); idempotency (every step again in heal mode: no failure, same fingerprint); one
            upgrade path per checkpoint (the database as it stood there, then the full catalogue: it must
            equal the fresh install); and with --from or --from-git, the upgrade from an older catalogue.
            The scratch databases live on a throwaway cluster (PostgreSQL's server binaries needed), or on
            --database-url, where only verify_<run>_… databases are created and dropped.

            With --with-data, each upgrade starts from tables holding --rows generated rows, and the locks
            every step holds on them are traced statement by statement: the report lists, per upgrade, each
            step that ran on a table with rows (its locks, whether it rewrote the table, how long it held
            the strongest lock), and a section "would block traffic on a live database" with the steps that
            held SHARE or stronger on such a table for longer than --block-threshold, or rewrote one, each
            with its file:line:col and the safer form to write. They are warnings: the exit status stays 0
            unless --strict-locks.

            Exit status: 0 every scenario passed, 1 a scenario failed (or, with --strict-locks, a step would
            block traffic), 2 bad usage, a broken catalogue or an infrastructure error (no cluster, no
            connection).

            Examples:
              robot verify --steps db/steps
              robot verify --steps db/steps --checkpoints all --with-data
              robot verify --steps db/steps --with-data --rows 100000 --block-threshold 50 --strict-locks
              robot verify --steps db/steps --from-git v1.2 --json
              robot verify --steps db/steps --database-url postgres://ci@localhost/postgres
            """
    )

    @OptionGroup var stepDirectory: StepDirectoryOption

    /// The step directory.
    var steps: String { stepDirectory.path }

    @Option(name: .long, help: ArgumentHelp(
        "A server to make the scratch databases on (connecting to the URL's database); default: a throwaway cluster.", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where upgrade paths start: 'tags' (the last step of each version tag, the default), 'all', 'none', or a comma-separated list of positions and tags such as 5,v1.2.",
        valueName: "which"))
    var checkpoints = "tags"

    @Flag(name: .long, help: "Insert generated rows (--rows) into every table at each checkpoint before upgrading, and report the locks each step holds on tables with rows.")
    var withData = false

    @Option(name: .long, help: ArgumentHelp("With --with-data: rows generated per table.", valueName: "n"))
    var rows: Int?

    @Option(name: .long, help: ArgumentHelp("With --with-data: how long a step may hold SHARE or stronger on a table with rows before it would block traffic, in milliseconds (a rewrite always would).", valueName: "ms"))
    var blockThreshold: Int?

    @Flag(name: .long, help: "With --with-data: exit with status 1 when a step would block traffic on a live database.")
    var strictLocks = false

    @Option(name: .customLong("from"), help: ArgumentHelp("An older copy of the step directory to upgrade from.", valueName: "dir"))
    var fromDirectory: String?

    @Option(name: .customLong("from-git"), help: ArgumentHelp("A git revision whose step directory to upgrade from.", valueName: "rev"))
    var fromRevision: String?

    @Option(name: .long, help: ArgumentHelp("The schema of the robot's ledger (left out of fingerprints).", valueName: "name"))
    var ledgerSchema = LedgerSchema.standard.name

    @Flag(name: .long, help: "Print the report as JSON instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Log level on standard error: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "warning"

    func validate() throws {
        if fromDirectory != nil && fromRevision != nil { throw ValidationError("--from and --from-git exclude each other: give one") }
        for (flag, given) in [("--rows", rows != nil), ("--block-threshold", blockThreshold != nil), ("--strict-locks", strictLocks)]
        where given && !withData {
            throw ValidationError("\(flag) needs --with-data: only upgrades that start from tables with rows measure locks")
        }
        if let rows, !(1...10_000_000).contains(rows) { throw ValidationError("--rows takes a number of rows from 1 to 10000000") }
        if let blockThreshold, !(0...3_600_000).contains(blockThreshold) {
            throw ValidationError("--block-threshold takes milliseconds from 0 to 3600000")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level takes one of trace, debug, info, notice, warning, error, critical")
        }
        do { _ = try LedgerSchema(ledgerSchema) } catch { throw ValidationError("--ledger-schema: \(error)") }
    }

    func run() async throws {
        let verifier = try await makeVerifier()
        let printsProgress = !json
        let report: VerificationReport
        do {
            report = try await verifier.verify(logger: makeLogger(level: Logger.Level(rawValue: logLevel) ?? .warning)) { result in
                guard printsProgress else { return }
                // Unbuffered: a line per scenario as it ends, also when the output is a pipe (CI logs).
                FileHandle.standardOutput.write(Data((VerificationTextRenderer.progressLine(result) + "\n").utf8))
            }
        } catch {
            printError(describe(error))
            throw ExitStatus.usage
        }
        if json {
            print(String(decoding: report.jsonData(), as: UTF8.self))
        } else {
            print(VerificationTextRenderer.summary(report))
        }
        if !report.isProven || (strictLocks && !report.blockingSteps.isEmpty) { throw ExitStatus.stepFailed }
    }

    private func makeVerifier() async throws -> Verifier {
        do {
            var options = VerifyOptions()
            if let databaseURL { options.target = .server(try ConnectionSettings(url: databaseURL)) }
            options.checkpoints = checkpointChoice
            options.withData = withData
            if let rows { options.sampleRows = rows }
            if let blockThreshold { options.blockThreshold = .milliseconds(blockThreshold) }
            options.robotConfiguration.ledgerSchema = try LedgerSchema(ledgerSchema)
            if let fromDirectory {
                options.olderCatalogue = (try OlderCatalogue.fromDirectory(fromDirectory), fromDirectory)
            } else if let fromRevision {
                options.olderCatalogue = (try await OlderCatalogue.fromGit(revision: fromRevision, directory: steps), "git \(fromRevision)")
            }
            let verifier = Verifier(catalogue: try StepDirectory.load(steps), options: options)
            _ = try verifier.checkpointPositions()
            return verifier
        } catch {
            printError(describe(error))
            throw ExitStatus.usage
        }
    }

    private var checkpointChoice: VerifyOptions.Checkpoints {
        switch checkpoints {
        case "tags": .versionTags
        case "all": .every
        case "none": .none
        default: .list(checkpoints.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
    }
}
