import Foundation
import Synchronization

/// PgBouncer, from the installed binary, in front of a ``ThrowawayCluster``: how tests see what a connection pooler
/// changes for a client (in `transaction` pooling, each transaction may run on another server connection).
///
/// It listens on 127.0.0.1 with trust authentication for the cluster's superuser, forwards every database name to
/// the cluster, and is stopped by ``stop()``, at normal process exit and on SIGINT/SIGTERM, as clusters are. A
/// process killed with SIGKILL leaves it running (it has no reaper); it holds no data.
///
/// ## Topics
/// - ``start(inFrontOf:poolMode:poolSize:startTimeout:)``, ``PoolMode``, ``stop()``
/// - ``url(database:)``, ``host``, ``port``
public final class ThrowawayPgBouncer: LiveServer {
    /// PgBouncer's `pool_mode`: when a server connection goes back to the pool.
    public enum PoolMode: String, Sendable {
        /// When the client disconnects.
        case session
        /// After each transaction.
        case transaction
        /// After each statement.
        case statement
    }

    /// The address PgBouncer listens on: always `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The TCP port PgBouncer listens on.
    public let port: Int
    public let poolMode: PoolMode
    /// The user the cluster trusts, who logs in through PgBouncer without a password.
    public let superuser: String

    private let directory: String
    private let isStopped = Atomic(false)

    private init(port: Int, poolMode: PoolMode, superuser: String, directory: String) {
        self.port = port
        self.poolMode = poolMode
        self.superuser = superuser
        self.directory = directory
    }

    /// Starts PgBouncer in front of `cluster` and waits (bounded) until it accepts connections.
    /// - Parameter poolSize: server connections per database and user (`default_pool_size`): fewer than the clients
    ///   makes clients share them.
    public static func start(
        inFrontOf cluster: ThrowawayCluster, poolMode: PoolMode = .transaction, poolSize: Int = 4, startTimeout: Duration = .seconds(10)
    ) async throws(ThrowawayClusterError) -> ThrowawayPgBouncer {
        let binary = try pgbouncerBinary()
        let account = try ServerAccount.forCurrentProcess()
        let directory = try makeDirectory(owner: account)
        let port = try findFreeLoopbackPort()
        let bouncer = ThrowawayPgBouncer(port: port, poolMode: poolMode, superuser: cluster.superuser, directory: directory)
        do throws(ThrowawayClusterError) {
            try bouncer.writeConfiguration(cluster: cluster, poolSize: poolSize, owner: account)
            var prefix: [String] = []
            if let account { prefix = try ServerTools.switchUserPrefix(account) }
            // `-d`: it forks into the background and writes its pid file; the foreground process ends at once.
            let outcome = try await Command(arguments: prefix + [binary, "-d", bouncer.configurationFile], workingDirectory: directory,
                                            outputFile: "\(directory)/start.log").run(within: startTimeout)
            guard outcome.succeeded else {
                throw ThrowawayClusterError(code: .startFailed, message: "pgbouncer failed with status \(outcome.status).",
                                            remedy: "Read its output below.", outputTail: outcome.output + "\n" + (tail(ofFile: bouncer.logFile) ?? ""))
            }
            try await bouncer.waitUntilListening(within: startTimeout)
        } catch {
            bouncer.stop()
            throw error
        }
        LiveClusters.add(bouncer)
        return bouncer
    }

    /// A connection URL through PgBouncer for `database` as the cluster's superuser, without password.
    public func url(database: String = "postgres") -> String {
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return "postgres://\(superuser)@\(host):\(port)/\(database.addingPercentEncoding(withAllowedCharacters: unreserved) ?? database)"
    }

    /// Stops PgBouncer at once (its immediate shutdown, SIGTERM), waits up to 5 s for it to end, and removes its
    /// directory. Calling it again does nothing.
    public func stop() {
        guard !isStopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let pid = pid {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(5)
            while kill(pid, 0) == 0, ContinuousClock.now < deadline { usleep(10_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
        LiveClusters.remove(self)
    }

    private var configurationFile: String { "\(directory)/pgbouncer.ini" }
    private var logFile: String { "\(directory)/pgbouncer.log" }
    private var pidFile: String { "\(directory)/pgbouncer.pid" }

    private var pid: pid_t? {
        let text = try? String(contentsOfFile: pidFile, encoding: .utf8)
        return text.flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.flatMap { $0 > 0 ? $0 : nil }
    }

    private func writeConfiguration(cluster: ThrowawayCluster, poolSize: Int, owner: ServerAccount?) throws(ThrowawayClusterError) {
        let files = [
            configurationFile: """
                [databases]
                * = host=\(cluster.host) port=\(cluster.port)

                [pgbouncer]
                listen_addr = \(host)
                listen_port = \(port)
                unix_socket_dir =
                auth_type = trust
                auth_file = \(directory)/users.txt
                pool_mode = \(poolMode.rawValue)
                default_pool_size = \(poolSize)
                max_client_conn = 500
                logfile = \(logFile)
                pidfile = \(pidFile)
                ignore_startup_parameters = extra_float_digits

                """,
            "\(directory)/users.txt": "\"\(superuser)\" \"\"\n",
        ]
        for (path, text) in files {
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw ThrowawayClusterError(code: .fileSystem, message: "Could not write \(path).", remedy: "Set TMPDIR to a writable directory.")
            }
            try owner?.takeOwnership(of: path)
        }
    }

    /// Polls the port until PgBouncer accepts a TCP connection.
    private func waitUntilListening(within bound: Duration) async throws(ThrowawayClusterError) {
        let deadline = ContinuousClock.now + bound
        while !acceptsConnections() {
            guard ContinuousClock.now < deadline else {
                throw ThrowawayClusterError(code: .timedOut, message: "pgbouncer did not accept connections on port \(port) within \(bound).",
                                            remedy: "Read its log below.", outputTail: tail(ofFile: logFile))
            }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                throw ThrowawayClusterError(code: .cancelled, message: "Starting pgbouncer was cancelled.", remedy: "Nothing to do.")
            }
        }
    }

    private func acceptsConnections() -> Bool {
        #if canImport(Darwin)
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func pgbouncerBinary() throws(ThrowawayClusterError) -> String {
        if let found = ServerTools.findOnPath("pgbouncer") ?? ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].first(where: FileManager.default.isExecutableFile) {
            return found
        }
        throw ThrowawayClusterError(code: .pgbouncerNotInstalled, message: "pgbouncer was not found on PATH or in /usr/sbin.",
                                    remedy: "Install it: `apt-get install pgbouncer` (Debian/Ubuntu) or `brew install pgbouncer` (macOS).")
    }

    private static func makeDirectory(owner: ServerAccount?) throws(ThrowawayClusterError) -> String {
        let template = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("throwaway-pgbouncer.XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let created = mkdtemp(&buffer) else {
            throw ThrowawayClusterError(code: .fileSystem, message: "Could not create a directory from \(template): \(String(cString: strerror(errno))).",
                                        remedy: "Set TMPDIR to a writable directory.")
        }
        let directory = String(cString: created)
        try owner?.takeOwnership(of: directory)
        return directory
    }
}
