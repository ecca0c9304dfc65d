import Foundation

/// A detached shell that outlives this process: once the watched process is gone (even SIGKILLed), it stops
/// the cluster and removes its directory. It runs in its own session so signals sent to our process group
/// (Ctrl-C, a test runner killing the group) do not reach it.
struct Reaper: Sendable {
    let pid: pid_t

    /// Starts a reaper for the cluster in `rootDirectory` that acts when `parent` exits.
    static func spawn(
        watching parent: pid_t, rootDirectory: String, dataDirectory: String, tools: ServerTools
    ) throws(ThrowawayClusterError) -> Reaper {
        let script = Self.script(dataDirectory: dataDirectory, tools: tools)
        let arguments = ["/bin/sh", "-c", script, "throwaway-postgres-reaper", String(parent), rootDirectory]
        let pid = try Spawn.start(arguments, newSession: true)
        return Reaper(pid: pid)
    }

    /// Ends the reaper once the cluster has been cleaned up by this process, and collects its exit status.
    func dismiss() {
        Spawn.kill(pid)
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
