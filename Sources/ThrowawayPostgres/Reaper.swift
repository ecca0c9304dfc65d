import Foundation
import Subprocess

/// A detached shell that outlives this process: once the watched process is gone (even SIGKILLed), it stops
/// the cluster and removes its directory. It runs in its own session so signals sent to our process group
/// (Ctrl-C, a test runner killing the group) do not reach it.
struct Reaper: Sendable {
    /// Runs the shell until it ends or the task is cancelled, which kills it.
    private let run: Task<Void, Never>

    /// Starts a reaper for the cluster in `rootDirectory` that acts when `parent` exits; returns once it runs.
    static func spawn(
        watching parent: pid_t, rootDirectory: String, dataDirectory: String, tools: ServerTools
    ) async throws(ThrowawayClusterError) -> Reaper {
        let arguments = ["-c", script(dataDirectory: dataDirectory, tools: tools), "throwaway-postgres-reaper", String(parent), rootDirectory]
        var options = PlatformOptions()
        options.createSession = true
        let (started, starting) = AsyncStream.makeStream(of: (any Error)?.self)
        let run = Task { [options] in
            do {
                _ = try await Subprocess.run(
                    .path("/bin/sh"), arguments: Arguments(arguments), workingDirectory: "/", platformOptions: options,
                    input: .none, output: .discarded, error: .discarded
                ) { _ in starting.yield(nil) }
            } catch {
                starting.yield(error)
            }
            starting.finish()
        }
        for await failure in started {
            guard let failure else { break }
            throw ThrowawayClusterError(
                code: .fileSystem, message: "Could not start the reaper shell /bin/sh: \(failure).",
                remedy: "Check that /bin/sh exists and that the process limit is not reached."
            )
        }
        return Reaper(run: run)
    }

    /// Ends the reaper once the cluster has been cleaned up by this process.
    func dismiss() {
        run.cancel()
    }

    /// Waits while the parent lives and the directory exists; then stops the server (immediate mode, bounded,
    /// falling back to SIGKILL of the postmaster) and removes the directory.
    private static func script(dataDirectory: String, tools: ServerTools) -> String {
        let stop = tools.shellCommand("pg_ctl", ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "10"])
        let pidFile = shellQuoted("\(dataDirectory)/postmaster.pid")
        return """
            parent=$1; root=$2
            while kill -0 "$parent" 2>/dev/null && [ -d "$root" ]; do sleep 1; done
            [ -d "$root" ] || exit 0
            cd /
            if [ -f \(pidFile) ]; then
              \(stop) || kill -KILL "$(head -n 1 \(pidFile))"
            fi
            rm -rf "$root"
            """
    }
}
