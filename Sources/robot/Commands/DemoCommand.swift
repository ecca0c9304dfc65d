import ArgumentParser
import Logging
import Foundation
import MaintenanceRobot
import ThrowawayPostgres

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show the robot at work on a throwaway PostgreSQL: apply, run again, status, clean up.",
        discussion: """
            Starts a temporary cluster from the installed PostgreSQL (removed afterwards, also on Ctrl-C), \
            applies a small example catalogue, runs it again to show that nothing is re-applied, and \
            prints the status. Needs PostgreSQL's server binaries (initdb, pg_ctl, postgres).

            Example:
              robot demo
            """
    )

    func run() async throws {
        let logger = makeLogger(level: .warning)
        print("Starting a throwaway PostgreSQL cluster…")
        let cluster: ThrowawayCluster
        do {
            cluster = try await ThrowawayCluster.start()
        } catch where error.code == .cancelled {
            throw fail(error)
        } catch {
            printError("\(error)")
            throw ExitStatus.unavailable
        }
        defer { cluster.stop() }
        do {
            let settings = try ConnectionSettings(url: cluster.url(database: "postgres"), environment: [:])
            let robot = try Robot(steps: DemoCatalogue.steps)
            print("\n1. First boot: the database is empty, every step runs.\n")
            print(TextReportRenderer.render(try await robot.run(on: settings, logger: logger)))
            print("\n2. Second boot: every step is in the ledger, nothing runs again.\n")
            print(TextReportRenderer.render(try await robot.run(on: settings, logger: logger)))
            print("\n3. robot status\n")
            print(TextStatusRenderer.render(try await robot.status(on: settings, logger: logger)))
            print("\nDone; the throwaway cluster is removed. Next: write your own steps with `robot new`.")
        } catch {
            throw fail(error)
        }
    }
}
