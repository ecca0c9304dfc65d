import ArgumentParser
import Foundation
import MaintenanceRobot
import Prometheus
import RobotLint

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Apply every step that is new, failed before, or changed since it was applied.",
        discussion: """
            Each step runs in its own transaction with its ledger row. A failed step is rolled back and \
            recorded and the run goes on, unless the step is critical: then the run stops with status 1.

            Examples:
              robot run db/steps               # the same as --steps db/steps
              robot run --dry-run              # print the plan, change nothing
              robot run --heal                 # re-run every step to repair a damaged database
              robot run --json --strict        # for CI: any failure is an error
              robot run --metrics-file /var/lib/node_exporter/robot.prom
              robot run --tenant-schemas "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1" --canary 2
              robot run --targets tenants.txt --parallel 16 --shard 0/4
            """
    )

    @OptionGroup var options: SharedOptions

    @OptionGroup(title: "Fleets") var fleet: FleetRunOptions

    @Flag(help: "Re-run every step, applied or not, to repair a damaged database. Safe only because every step is idempotent: lint the catalogue first.")
    var heal = false

    @Flag(help: "Print the plan and change nothing.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Treat every step as critical: the first failure stops the run with status 1.")
    var strict = false

    @Flag(help: "List skipped steps too, and every lock each step held (without it: the lock live traffic would have waited for).")
    var verbose = false

    @Flag(help: "Lint the catalogue first and refuse to run it (status 2) when it has lint errors.")
    var lint = false

    @Option(help: ArgumentHelp(
        "When the run ends, however it ends, write its metrics in Prometheus text format to this file (replaced atomically), for a node exporter's textfile collector.",
        valueName: "path"))
    var metricsFile: String?

    func validate() throws {
        if let metricsFile {
            let directory = URL(fileURLWithPath: metricsFile).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw ValidationError("--metrics-file: the directory \(directory) does not exist or is not writable")
            }
        }
    }

    func run() async throws {
        var configuration = try options.configuration()
        configuration.mode = heal ? .heal : .apply
        configuration.isDryRun = dryRun
        configuration.treatsEveryStepAsCritical = strict
        var robot: Robot
        if lint {
            let catalogue = try options.catalogue()
            try refuseLintErrors(in: catalogue)
            robot = Robot(catalogue: catalogue, configuration: configuration)
        } else {
            robot = Robot(stepDirectory: options.steps, configuration: configuration)
        }
        let metrics = PrometheusCollectorRegistry()
        if metricsFile != nil { robot.telemetry = RobotTelemetry(metrics: PrometheusMetricsFactory(registry: metrics)) }
        if fleet.isFleet {
            defer { writeMetrics(metrics) }
            return try await fleet.run(robot, options: options, json: json, verbose: verbose)
        }
        let settings = try options.connectionSettings()
        let report: RunReport
        do {
            report = try await robot.run(on: settings, logger: options.logger())
        } catch {
            writeMetrics(metrics)
            if case .criticalStepFailed(let stopped) = error { try show(stopped) }
            throw fail(error)
        }
        writeMetrics(metrics)
        try show(report)
    }

    /// Writes the run's metrics to `--metrics-file`; a file that cannot be written is said, and does not change the
    /// run's exit status.
    private func writeMetrics(_ registry: PrometheusCollectorRegistry) {
        guard let metricsFile else { return }
        do {
            try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: metricsFile), options: .atomic)
        } catch {
            printError("could not write the metrics file \(metricsFile): \(error.localizedDescription)")
        }
    }

    private func refuseLintErrors(in catalogue: Catalogue) throws(ExitStatus) {
        do {
            try Linter().check(catalogue)
        } catch {
            printError("\(error)\nnothing ran; fix the errors (robot lint --steps \(options.steps)) or run without --lint")
            throw ExitStatus.usage
        }
    }

    private func show(_ report: RunReport) throws {
        if json {
            FileHandle.standardOutput.write(report.jsonData())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(TextReportRenderer.render(report, verbose: verbose))
        }
    }
}
