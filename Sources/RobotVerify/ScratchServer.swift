import Foundation
import Logging
import MaintenanceRobot
import ThrowawayPostgres

/// Where verify creates its scratch databases: a throwaway cluster it starts, or a server it is given.
public enum VerifyTarget: Sendable {
    /// A temporary cluster from the installed PostgreSQL binaries, started for the run and removed after it.
    case throwawayCluster
    /// An existing server; verify connects to the settings' database to create and drop its own
    /// `verify_<run>_…` databases there and touches nothing else.
    case server(ConnectionSettings)
}

/// The scratch databases of one verification (or drift check): created from `template0` or copied from a snapshot
/// with `CREATE DATABASE … TEMPLATE`, all named `<purpose>_<run>_<label>` (`verify_…`, `drift_…`), all dropped by
/// ``close()``.
package actor ScratchServer {
    private let admin: DatabaseSession
    private let adminSettings: ConnectionSettings
    private let cluster: ThrowawayCluster?
    /// `<purpose>_<run>_`: every scratch database of this run starts with it.
    nonisolated let prefix: String
    private let logger: Logger
    private var created: [String] = []
    /// ` STRATEGY FILE_COPY` on PostgreSQL 15 and later: a copy of a small database by its files is several
    /// times faster than the default block-by-block WAL copy; empty before 15, which has only file copies.
    private let copyStrategy: String

    private init(
        admin: DatabaseSession, adminSettings: ConnectionSettings, cluster: ThrowawayCluster?, serverVersion: Int, purpose: String, logger: Logger
    ) {
        self.admin = admin
        self.copyStrategy = serverVersion >= 150_000 ? " STRATEGY FILE_COPY" : ""
        self.adminSettings = adminSettings
        self.cluster = cluster
        self.logger = logger
        self.prefix = "\(purpose)_\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))_"
    }

    /// Starts the cluster when asked to, and connects to the maintenance database; `purpose` (lower-case letters)
    /// starts the scratch databases' names.
    package static func open(
        _ target: VerifyTarget, connectTimeout: Duration, purpose: String = "verify", logger: Logger
    ) async throws(VerifyError) -> ScratchServer {
        var cluster: ThrowawayCluster?
        let settings: ConnectionSettings
        switch target {
        case .server(let given):
            settings = given
        case .throwawayCluster:
            do {
                let started = try await ThrowawayCluster.start()
                cluster = started
                settings = ConnectionSettings(host: started.host, port: started.port, username: started.superuser, database: "postgres", tls: .disable)
            } catch {
                throw .clusterNotStarted(error)
            }
        }
        let admin: DatabaseSession
        do {
            admin = try await DatabaseSession.connect(to: settings, waitingUpTo: connectTimeout, logger: logger)
        } catch {
            cluster?.stop()
            throw .connection(error)
        }
        do {
            let version = try await admin.execute("SELECT current_setting('server_version_num')::int AS version").first?.int("version") ?? 0
            return ScratchServer(admin: admin, adminSettings: settings, cluster: cluster, serverVersion: version, purpose: purpose, logger: logger)
        } catch {
            await admin.close()
            cluster?.stop()
            throw .scratchDatabase(operation: "read the server version before creating", database: settings.database, error)
        }
    }

    /// Connection settings for the scratch database `name`.
    package func settings(_ name: String) -> ConnectionSettings {
        adminSettings.with(database: name)
    }

    /// Creates an empty scratch database `<purpose>_<run>_<label>` and returns its name.
    package func createEmpty(_ label: String) async throws(VerifyError) -> String {
        try await create(label, template: "template0")
    }

    /// Copies the scratch database `source` (which must have no open connection) to a new one.
    func copy(_ source: String, as label: String) async throws(VerifyError) -> String {
        try await create(label, template: source)
    }

    /// Drops a scratch database of this run, even if a connection is still open on it.
    package func drop(_ name: String) async throws(VerifyError) {
        guard created.contains(name) else { return }
        do {
            try await admin.execute("DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE)")
            created.removeAll { $0 == name }
        } catch {
            throw .scratchDatabase(operation: "drop", database: name, error)
        }
    }

    /// Drops every scratch database left, closes the connection and stops the throwaway cluster.
    package func close() async {
        for name in created.reversed() {
            do throws(VerifyError) {
                try await drop(name)
            } catch {
                logger.warning("\(error)")
            }
        }
        await admin.close()
        cluster?.stop()
    }

    /// PostgreSQL refuses a template that still has a connection; a backend may take a moment to go after
    /// its client closed, so a busy template is tried again for up to five seconds.
    private func create(_ label: String, template: String) async throws(VerifyError) -> String {
        let name = String((prefix + label.databaseLabel).prefix(63))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while true {
            do {
                try await admin.execute("CREATE DATABASE \(quoteIdentifier(name)) TEMPLATE \(quoteIdentifier(template))\(copyStrategy)")
                created.append(name)
                return name
            } catch where error.sqlState == "55006" && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            } catch {
                throw .scratchDatabase(operation: "create (from \(template))", database: name, error)
            }
        }
    }
}

extension String {
    /// Lower-case letters, digits and `_` only, for a database name.
    var databaseLabel: String {
        String(lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
    }
}
