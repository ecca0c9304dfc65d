import Foundation
import Synchronization

/// A temporary PostgreSQL cluster started from the installed binaries, for tests and verification.
///
/// The cluster listens on 127.0.0.1 with trust authentication for the superuser `postgres`. It is removed
/// by ``stop()``, at normal process exit, on SIGINT/SIGTERM, and — through a detached reaper process — even
/// when this process is killed with SIGKILL.
///
/// - warning: Starting a cluster installs SIGINT and SIGTERM handlers that stop every live cluster and exit
///   the process (status 130 or 143). Use it in tests and tools, not inside a long-running service.
///
/// ## Topics
/// - ``start(_:)``, ``Options``, ``stop()``
/// - ``url(database:)``, ``host``, ``port``, ``superuser``, ``dataDirectory``, ``socketDirectory``
/// - ``freePort()``
public final class ThrowawayCluster: LiveServer {
    /// How to start a cluster.
    public struct Options: Sendable {
        /// The TCP port; `nil` picks a free loopback port.
        public var port: Int?
        /// `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`: much faster DDL, no crash safety.
        /// Right for tests; set it to `false` for benchmarks.
        public var fastUnsafeDurability: Bool
        /// Extra server settings, passed as `-c name=value` (e.g. `["max_connections": "200"]`).
        public var serverSettings: [String: String]
        /// The bound on initdb and on the wait for the server to accept connections.
        public var startTimeout: Duration
        /// The directory holding `initdb` and `pg_ctl`; `nil` looks for `initdb` on PATH, then for the newest
        /// `/usr/lib/postgresql/*/bin`.
        public var binaryDirectory: String?

        /// Creates options; the defaults suit tests.
        public init(
            port: Int? = nil,
            fastUnsafeDurability: Bool = true,
            serverSettings: [String: String] = [:],
            startTimeout: Duration = .seconds(30),
            binaryDirectory: String? = nil
        ) {
            self.port = port
            self.fastUnsafeDurability = fastUnsafeDurability
            self.serverSettings = serverSettings
            self.startTimeout = startTimeout
            self.binaryDirectory = binaryDirectory
        }
    }

    /// The address the server listens on: always `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The TCP port the server listens on.
    public let port: Int
    /// The superuser, who logs in without a password (trust authentication).
    public let superuser = "postgres"
    /// The cluster's data directory (inside the temporary directory).
    public let dataDirectory: String
    /// The directory holding the server's unix socket, `.s.PGSQL.<port>`.
    public let socketDirectory: String
    /// The server's log file (inside the temporary directory, removed with it).
    public var serverLog: String { directory.serverLog }

    let directory: ClusterDirectory
    private let reaper: Reaper
    private let isStopped = Atomic(false)

    private init(port: Int, directory: ClusterDirectory, reaper: Reaper) {
        self.port = port
        self.directory = directory
        self.reaper = reaper
        self.dataDirectory = directory.data
        self.socketDirectory = directory.socket
    }

    /// Creates, starts and registers a cluster; waits (bounded) until it accepts connections.
    public static func start(_ options: Options = .init()) async throws(ThrowawayClusterError) -> ThrowawayCluster {
        let tools = try ServerTools(binaryDirectory: options.binaryDirectory, account: ServerAccount.forCurrentProcess())
        var attempt = 1
        while true {
            let port = if let fixed = options.port { fixed } else { try findFreeLoopbackPort() }
            do {
                return try await launch(port: port, tools: tools, options: options)
            } catch where options.port == nil && attempt < 3 && error.isPortClash {
                attempt += 1  // another process took the port between our probe and the server's bind
            }
        }
    }

    private static func launch(port: Int, tools: ServerTools, options: Options) async throws(ThrowawayClusterError) -> ThrowawayCluster {
        let directory = try ClusterDirectory.create(tools: tools)
        let reaper: Reaper
        do {
            reaper = try await Reaper.spawn(
                watching: getpid(), rootDirectory: directory.root, dataDirectory: directory.data, tools: tools
            )
        } catch {
            directory.tearDown()
            throw error
        }
        do {
            try await directory.initialize(within: options.startTimeout)
            try await directory.startServer(port: port, options: options)
        } catch {
            directory.tearDown()
            reaper.dismiss()
            throw error
        }
        let cluster = ThrowawayCluster(port: port, directory: directory, reaper: reaper)
        LiveClusters.add(cluster)
        return cluster
    }

    /// A connection URL for `database` as the superuser, without password: `postgres://postgres@127.0.0.1:PORT/DB`.
    public func url(database: String = "postgres") -> String {
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encoded = database.addingPercentEncoding(withAllowedCharacters: unreserved) ?? database
        return "postgres://\(superuser)@\(host):\(port)/\(encoded)"
    }

    /// Stops the server (fast shutdown, bounded) and removes the temporary directory. Calling it again does nothing.
    public func stop() {
        guard !isStopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        directory.tearDown()
        reaper.dismiss()
        LiveClusters.remove(self)
    }

    /// A TCP port on 127.0.0.1 that is free right now, for tests that start a cluster on a known port later.
    public static func freePort() throws(ThrowawayClusterError) -> Int {
        try findFreeLoopbackPort()
    }
}

extension ThrowawayClusterError {
    /// The server could not bind its port: another process took it.
    var isPortClash: Bool {
        code == .startFailed && (outputTail ?? "").contains("Address already in use")
    }
}
