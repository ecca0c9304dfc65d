import Foundation
import Logging
import MaintenanceRobot
import RobotFleet

extension FleetRunOptions {
    /// `robot run` on a fleet: runs `robot` on every target of this process's shard, shows the progress, prints the
    /// report, and throws the fleet's exit status.
    func run(_ robot: Robot, options: SharedOptions, json: Bool, verbose: Bool) async throws {
        let fleet = try await targets.fleet(options, configuration: robot.configuration)
        let logger = options.logger()
        var display = ProgressDisplay(logger: logger)
        let report: FleetReport
        do {
            report = try await fleet.run(robot, schedule: schedule, logger: logger) { display.show($0) }
        } catch {
            throw fail(error)
        }
        display.finish()
        if json {
            FileHandle.standardOutput.write(report.jsonData() + Data("\n".utf8))
        } else {
            print(FleetTextRenderer.render(report, verbose: verbose) { describe($0) })
        }
        if let status = ExitStatus.of(report) { throw status }
    }
}

extension FleetTargetOptions {
    /// `robot status` on a fleet: each target's steps, then the fleet's exit status.
    func status(_ robot: Robot, options: SharedOptions, json: Bool) async throws {
        let fleet = try await fleet(options, configuration: robot.configuration)
        let status: FleetStatus
        do {
            status = try await fleet.status(robot, parallelism: parallelism, logger: options.logger())
        } catch {
            throw fail(error)
        }
        if json {
            FileHandle.standardOutput.write(ReportJSON.encode(status) + Data("\n".utf8))
        } else {
            print(FleetTextRenderer.render(status))
        }
        if let exit = ExitStatus.of(status) { throw exit }
    }
}

/// A fleet's progress on standard error: on a terminal, one live line (redrawn at most ten times a second) with
/// each failed target printed above it; otherwise one log line per finished target.
struct ProgressDisplay {
    let logger: Logger
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDrawn: ContinuousClock.Instant?
    private var drawn = false

    init(logger: Logger) {
        self.logger = logger
    }

    mutating func show(_ progress: FleetProgress) {
        let target = progress.target
        guard isTerminal else {
            logger.log(level: target.outcome.isFailure ? .error : .notice, "\(FleetTextRenderer.finished(progress))",
                       metadata: ["robot.target": "\(FleetTextRenderer.label(target))"])
            return
        }
        if target.outcome.isFailure {
            write("\(FleetTextRenderer.label(target)) — \(FleetTextRenderer.finished(progress))\n")
        }
        let now = ContinuousClock.now
        guard target.outcome.isFailure || progress.left == 0 || lastDrawn.map({ now - $0 >= .milliseconds(100) }) ?? true else { return }
        write(FleetTextRenderer.progressLine(progress))
        lastDrawn = now
        drawn = true
    }

    /// Clears the live line, so that the report starts on a clean line.
    mutating func finish() {
        if drawn { write("") }
        drawn = false
    }

    /// Replaces the live line with `text`, leaving the cursor at the line's start: a log line written meanwhile
    /// (another robot's lock awaited, a step failed) then takes the line's place rather than running on after it.
    private func write(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text + "\r").utf8))
    }
}
