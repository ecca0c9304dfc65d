import ArgumentParser
import Foundation
import MaintenanceRobot
import RobotDrift
import RobotLint

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare a live database with a fresh install of the catalogue, and write the step that repairs the difference.",
        discussion: """
            Builds the catalogue's fresh install on a throwaway cluster (PostgreSQL's server binaries needed) or on \
            drift_<run>_… scratch databases of --scratch-url, reads the live database in one READ ONLY transaction \
            (lock_timeout and statement_timeout from --step-lock-timeout and --statement-timeout; nothing is written, \
            not even the ledger), and prints each difference grouped by table, with the steps that should have \
            produced it. Owners and grants are not compared; seed data is compared for the rows the catalogue \
            inserts, found by their key, never for the application's rows.

            --write-step appends a step (as robot new does) with idempotent SQL for what can be repaired safely: \
            missing tables, columns, NOT NULL (guarded by the absence of NULLs), defaults, constraints (NOT VALID, \
            then VALIDATE), indexes (on a table with many rows, CONCURRENTLY in a no-transaction step of its own), \
            functions, views, triggers, enum types and seed rows (ON CONFLICT DO NOTHING). What cannot be repaired \
            safely (objects only in the live database, type changes, changed function bodies, rows that differ) \
            is listed in the step as comments with the reason, never dropped or rewritten.

            Exit status: 0 no drift, 1 drift, 2 bad usage, a broken catalogue, or a fresh install that could not \
            be built, 3 live database unreachable, connection lost, or a lock not obtained within its bound.

            Examples:
              robot drift --steps db/steps --database-url postgres://reader@db.internal/app
              robot drift db/steps --json
              robot drift db/steps --write-step "Repair drift (v1.4 Update)"
              robot drift db/steps --scratch-url postgres://ci@localhost/postgres
            """
    )

    /// Drift was found.
    private static let driftFound = ExitStatus(code: 1)

    @OptionGroup var options: SharedOptions

    @Option(name: .long, help: ArgumentHelp(
        "A server to build the fresh install on: only drift_<run>_… databases are created and dropped there (the role needs CREATEDB). Default: a throwaway cluster.",
        valueName: "url"))
    var scratchURL: String?

    @Option(name: .long, help: ArgumentHelp(
        "Append a step holding the repair SQL, named in the house convention: \"Repair drift (vX.Y Update)\".", valueName: "name"))
    var writeStep: String?

    @Option(name: .long, help: ArgumentHelp(
        "A missing index on a live table with at least this many rows is built CONCURRENTLY, in a no-transaction step of its own.",
        valueName: "rows"))
    var concurrentIndexRows = 10_000

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let writeStep, writeStep.allSatisfy(\.isWhitespace) {
            throw ValidationError("--write-step needs a name, e.g. \"Repair drift (v1.4 Update)\"")
        }
        if writeStep?.contains(where: \.isNewline) == true { throw ValidationError("the --write-step name must fit on one line") }
        if concurrentIndexRows < 1 { throw ValidationError("--concurrent-index-rows takes a number of rows above 0") }
    }

    func run() async throws {
        let drift = Drift(catalogue: try options.catalogue(), options: try driftOptions())
        let settings = try options.connectionSettings()
        var report: DriftReport
        do {
            report = try await drift.check(on: settings, logger: options.logger())
        } catch {
            throw fail(error)
        }
        if let writeStep, !report.repair.isEmpty {
            report.writtenSteps = try write(report.repair, name: writeStep)
        }
        show(report)
        if report.hasDrift { throw Self.driftFound }
    }

    private func driftOptions() throws(ExitStatus) -> DriftOptions {
        var driftOptions = DriftOptions()
        do {
            driftOptions.robotConfiguration = try options.configuration()
            if let scratchURL { driftOptions.scratch = .server(try ConnectionSettings(url: scratchURL)) }
        } catch {
            throw fail(error)
        }
        driftOptions.concurrentIndexRowThreshold = concurrentIndexRows
        return driftOptions
    }

    /// Appends the repair's steps, and lints them: they are written to lint clean, so a finding is a bug to report.
    private func write(_ repair: RepairSQL, name: String) throws(ExitStatus) -> [String] {
        let paths: [String]
        do {
            paths = try repair.write(into: options.steps, name: name)
        } catch {
            throw fail(error)
        }
        let written = Set(paths.map { ($0 as NSString).lastPathComponent })
        do {
            for diagnostic in try Linter().lint(directory: options.steps) where written.contains((diagnostic.file as NSString).lastPathComponent) {
                printError("the written step has a lint finding: \(TextRenderer.line(for: diagnostic))")
            }
        } catch {
            printError("the step directory does not load after writing the repair: \(error)")
        }
        return paths
    }

    private func show(_ report: DriftReport) {
        if json {
            FileHandle.standardOutput.write(report.jsonData() + Data("\n".utf8))
            return
        }
        print(DriftTextRenderer.render(report))
        if !report.writtenSteps.isEmpty {
            print("wrote \(report.writtenSteps.joined(separator: ", ")); apply it with robot run, then run robot drift again")
        } else if report.repair.isEmpty {
            if report.hasDrift && writeStep != nil { print("nothing written: drift can repair none of these differences safely") }
        } else {
            print("--write-step \"Repair drift (vX.Y Update)\" appends a step with the repair")
        }
    }
}
