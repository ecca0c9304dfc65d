import ArgumentParser
import Foundation
import MaintenanceRobot

@main
struct RobotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robot",
        abstract: "Brings a PostgreSQL database to the shape its service expects, idempotently, at every boot.",
        discussion: """
            Steps are NNNN_slug.sql files in a directory (--steps), applied in order, each in its own \
            transaction and recorded in a ledger in the database, so a warm boot does nothing.

            Exit status of run: 0 done (soft failures allowed unless --strict), 1 a critical (or, with \
            --strict, any) step failed, 2 bad usage or a broken catalogue (nothing ran), 3 database \
            unreachable or lock not obtained within its bound. lint and verify document their own.

            Examples:
              robot demo
              DATABASE_URL=postgres://app@db:5432/app robot run --steps db/steps
              robot status --steps db/steps --json
              robot new "Add owner email to tenants (v1.1 Update)" --steps db/steps
            """,
        subcommands: [
            RunCommand.self, StatusCommand.self, NewCommand.self, LintCommand.self, VerifyCommand.self, DemoCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Parses, runs, and maps every error to the documented exit status.
    static func main() async {
        RunCommand.startReadingSteps(arguments: Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitStatus {
            Foundation.exit(exit.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.code : code.rawValue)
        }
    }
}
