import ArgumentParser
import Foundation
import MaintenanceRobot

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each step's standing: applied, pending, failed, or changed since applied.",
        discussion: """
            Reads the ledger only; changes nothing.

            Examples:
              robot status --steps db/steps
              robot status --json
              robot status --targets tenants.txt --json
            """
    )

    @OptionGroup var options: SharedOptions

    @OptionGroup(title: "Fleets") var fleet: FleetTargetOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let robot = Robot(catalogue: try options.catalogue(), configuration: try options.configuration())
        if fleet.isFleet { return try await fleet.status(robot, options: options, json: json) }
        let status: CatalogueStatus
        do {
            status = try await robot.status(on: try options.connectionSettings(), logger: options.logger())
        } catch {
            throw fail(error)
        }
        if json {
            FileHandle.standardOutput.write(ReportJSON.encode(status) + Data("\n".utf8))
        } else {
            print(TextStatusRenderer.render(status))
        }
    }
}
