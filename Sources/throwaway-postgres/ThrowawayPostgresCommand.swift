import ArgumentParser
import Foundation
import Subprocess
import ThrowawayPostgres

/// `throwaway-postgres -- COMMAND [ARGUMENT…]`: runs one command against a throwaway PostgreSQL cluster, for scripts
/// and tests outside Swift (the Python package's checks, the deploy recipes' entrypoint).
@main
struct ThrowawayPostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throwaway-postgres",
        abstract: "Run a command against a throwaway PostgreSQL cluster that is removed when the command ends.",
        discussion: """
            Starts a cluster from the installed PostgreSQL binaries on a free loopback port (superuser postgres, \
            trust authentication, fast and not crash-safe: for tests only), runs the command with DATABASE_URL \
            set to the cluster's postgres database, then stops the cluster and removes its files.

            Exit status: the command's (128 + N when signal N ended it); 125 when the cluster could not be \
            started, 127 when the command was not found (or is not executable), 126 when it could not be run. SIGINT and SIGTERM stop \
            the cluster and exit with 130 or 143; the command runs in the same process group, so Ctrl-C and \
            timeout reach it too.

            Examples:
              throwaway-postgres -- robot run --steps db/steps
              throwaway-postgres -- sh -c 'psql "$DATABASE_URL" -c "SELECT version()"'
            """
    )

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command to run, and its arguments.", valueName: "command"))
    var command: [String] = []

    /// The command without the `--` that may separate it from this command's own options.
    private var commandLine: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        // Everything is passed through, so this command's own help is asked for before any command or `--`.
        if let first = command.first, first == "--help" || first == "-h" {
            throw CleanExit.helpRequest(self)
        }
        if commandLine.isEmpty {
            throw ValidationError("give the command to run, e.g. throwaway-postgres -- robot run --steps db/steps")
        }
    }

    func run() async throws {
        let cluster: ThrowawayCluster
        do {
            cluster = try await ThrowawayCluster.start()
        } catch {
            say("could not start a throwaway cluster: \(error)")
            throw ExitCode(125)
        }
        let url = cluster.url()
        say("DATABASE_URL=\(url)")
        let status = await runCommand(databaseURL: url)
        cluster.stop()
        throw ExitCode(status)
    }

    /// Runs the command with the terminal's standard input and output and `DATABASE_URL` set; returns its status.
    private func runCommand(databaseURL: String) async -> Int32 {
        let executable = commandLine[0]
        do {
            let result = try await Subprocess.run(
                .name(executable), arguments: Arguments(Array(commandLine.dropFirst())),
                environment: .inherit.updating(["DATABASE_URL": databaseURL]),
                input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError
            )
            switch result.terminationStatus {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        } catch let error as SubprocessError where error.code == .executableNotFound {
            say("\(executable): command not found or not executable; give its path or put it on PATH")
            return 127
        } catch {
            say("could not run \(executable): \(error)")
            return 126
        }
    }

    private func say(_ message: String) {
        FileHandle.standardError.write(Data("throwaway-postgres: \(message)\n".utf8))
    }
}
