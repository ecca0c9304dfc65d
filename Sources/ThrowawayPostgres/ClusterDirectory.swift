import Foundation

/// The temporary directory of one cluster: the data directory, the socket directory and the tools' logs.
struct ClusterDirectory: Sendable {
    let root: String
    let tools: ServerTools

    var data: String { "\(root)/data" }
    var socket: String { "\(root)/socket" }
    var serverLog: String { "\(root)/server.log" }

    /// Creates a fresh directory under the temporary directory, owned by the server account.
    static func create(tools: ServerTools) throws(ThrowawayClusterError) -> ClusterDirectory {
        let template = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("throwaway-postgres.XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let created = mkdtemp(&buffer) else {
            throw ThrowawayClusterError(
                code: .fileSystem,
                message: "Could not create a directory from \(template): \(String(cString: strerror(errno))).",
                remedy: "Set TMPDIR to a writable directory."
            )
        }
        let directory = ClusterDirectory(root: String(cString: created), tools: tools)
        try directory.prepare()
        return directory
    }

    private func prepare() throws(ThrowawayClusterError) {
        guard mkdir(socket, 0o700) == 0 else {
            throw ThrowawayClusterError(
                code: .fileSystem, message: "Could not create \(socket): \(String(cString: strerror(errno))).",
                remedy: "Set TMPDIR to a writable directory."
            )
        }
        try tools.account?.takeOwnership(of: root)
        try tools.account?.takeOwnership(of: socket)
    }

    /// Runs initdb: trust authentication, superuser `postgres`, UTF8, no locale, no fsync.
    func initialize(within bound: Duration) async throws(ThrowawayClusterError) {
        let arguments = ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]
        let outcome = try await command("initdb", arguments, log: "initdb.log").run(within: bound)
        guard outcome.succeeded else {
            throw ThrowawayClusterError(
                code: .initdbFailed,
                message: "initdb failed with status \(outcome.status) in \(data).",
                remedy: remedyForServerAccount,
                outputTail: outcome.output
            )
        }
    }

    /// Starts the server on 127.0.0.1:`port` and waits (bounded) until it accepts connections.
    func startServer(port: Int, options: ThrowawayCluster.Options) async throws(ThrowawayClusterError) {
        let seconds = max(1, Int(options.startTimeout.components.seconds) + (options.startTimeout.components.attoseconds > 0 ? 1 : 0))
        let serverOptions = Self.serverArguments(port: port, socket: socket, options: options).map(shellQuoted).joined(separator: " ")
        let arguments = ["start", "-D", data, "-l", serverLog, "-w", "-t", String(seconds), "-o", serverOptions]
        let outcome = try await command("pg_ctl", arguments, log: "pg_ctl-start.log").run(within: .seconds(seconds + 5))
        guard outcome.succeeded else {
            throw ThrowawayClusterError(
                code: .startFailed,
                message: "pg_ctl start failed with status \(outcome.status) (port \(port), data directory \(data)).",
                remedy: "Read the server log below; a port clash or too little shared memory are the usual causes.",
                outputTail: [outcome.output, tail(ofFile: serverLog)].compactMap { $0 }.joined(separator: "\n")
            )
        }
    }

    /// Stops the server if it runs (fast shutdown, then immediate, each bounded) and removes the directory.
    ///
    /// It signals the postmaster itself, as `pg_ctl stop` does, because it runs in `stop()` and in exit and
    /// signal handlers, which cannot await a subprocess.
    func tearDown() {
        if let pid = postmasterPID, !stopServer(pid, signal: SIGTERM) {
            _ = stopServer(pid, signal: SIGQUIT)
        }
        removeRoot()
    }

    /// Removes the directory, trying again for a few seconds while a tool that was killed mid-way (initdb's own
    /// bootstrap server outlives it by a moment) still writes into it.
    private func removeRoot() {
        let deadline = ContinuousClock.now + .seconds(5)
        while (try? FileManager.default.removeItem(atPath: root)) == nil, FileManager.default.fileExists(atPath: root),
              ContinuousClock.now < deadline {
            usleep(50_000)
        }
    }

    private var postmasterPIDFile: String { "\(data)/postmaster.pid" }

    /// The first line of `postmaster.pid`, which exists while the server runs; never 0 or a process group.
    private var postmasterPID: pid_t? {
        let firstLine = (try? String(contentsOfFile: postmasterPIDFile, encoding: .utf8))?.split(separator: "\n").first
        return firstLine.flatMap { pid_t($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Sends `signal` (SIGTERM: fast shutdown, SIGQUIT: immediate) and waits up to 10 s for the server to end.
    private func stopServer(_ pid: pid_t, signal: Int32) -> Bool {
        kill(pid, signal)
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: postmasterPIDFile), kill(pid, 0) == 0 {
            guard ContinuousClock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    private func command(_ tool: String, _ arguments: [String], log: String) -> Command {
        Command(arguments: tools.command(tool, arguments), workingDirectory: root, outputFile: "\(root)/\(log)")
    }

    private var remedyForServerAccount: String {
        guard let account = tools.account else { return "Read initdb's output below." }
        return "Read initdb's output below; as root the cluster runs as \(account.name), which must be able to reach \(root) (set TMPDIR otherwise)."
    }

    private static func serverArguments(port: Int, socket: String, options: ThrowawayCluster.Options) -> [String] {
        var settings = ["listen_addresses": "127.0.0.1"]
        if options.fastUnsafeDurability {
            settings.merge(["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"]) { $1 }
        }
        settings.merge(options.serverSettings) { $1 }
        return ["-p", String(port), "-k", socket] + settings.sorted { $0.key < $1.key }.flatMap { ["-c", "\($0.key)=\($0.value)"] }
    }
}
