import ArgumentParser
import Foundation
import MaintenanceRobot
import UnixSignals

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
            unreachable or lock not obtained within its bound, 130 or 143 cancelled by SIGINT or SIGTERM (the \
            steps that ran stay applied and recorded). lint, verify and drift document their own.

            drift compares a live database with a fresh install of the catalogue (read-only) and, with \
            --write-step, appends the idempotent step that repairs what it can.

            Examples:
              robot demo
              DATABASE_URL=postgres://app@db:5432/app robot run --steps db/steps
              robot status --steps db/steps --json
              robot new "Add owner email to tenants (v1.1 Update)" --steps db/steps
              robot import app/main.py --steps db/steps
              robot drift --steps db/steps --write-step "Repair drift (v1.4 Update)"
            """,
        subcommands: [
            RunCommand.self, StatusCommand.self, NewCommand.self, ImportCommand.self, LintCommand.self, VerifyCommand.self,
            DriftCommand.self, DemoCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Parses and runs the command line, and exits with the documented status. SIGINT and SIGTERM cancel the run: it
    /// stops before its next step, releases its lock, records what ran and exits with 128 + the signal's number; a
    /// second signal ends the process at once.
    static func main() async {
        let status = await withTaskGroup(of: Ending.self) { group in
            group.addTask { .command(await execute()) }
            group.addTask {
                for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                    // A second signal takes its default action again: it ends the process at once.
                    Glibc.signal(SIGINT, SIG_DFL)
                    Glibc.signal(SIGTERM, SIG_DFL)
                    return .signal(signal.rawValue)
                }
                return .signal(nil)
            }
            var status: Int32 = 0
            var signal: Int32?
            for await ending in group {
                switch ending {
                case .command(let code): status = code
                case .signal(let number): signal = number
                }
                // The command ended (the watcher stops), or a signal came (the command is cancelled).
                group.cancelAll()
            }
            if let signal, status == ExitStatus.interrupted.code { return 128 + signal }
            return status
        }
        Foundation.exit(status)
    }

    /// How the command or the signal watcher ended.
    private enum Ending: Sendable {
        /// The command's exit status.
        case command(Int32)
        /// The signal that came, or `nil` when the watcher was stopped.
        case signal(Int32?)
    }

    /// Parses, runs, and maps every error to the documented exit status.
    private static func execute() async -> Int32 {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitStatus {
            return exit.code
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            return code == .validationFailure ? ExitStatus.usage.code : code.rawValue
        }
    }
}
