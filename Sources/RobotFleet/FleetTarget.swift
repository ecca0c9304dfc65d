import Crypto
import MaintenanceRobot

/// One target of a fleet: a database and, for schema-per-tenant, the tenant schema its steps work in.
///
/// A target without a schema is a run as `robot run` does it, with the fleet's ledger schema; a target with one is a
/// run aimed at that schema (``RobotConfiguration/aimed(at:)``), with a ledger and a lock of the tenant's own.
public struct FleetTarget: Sendable, Hashable, CustomStringConvertible {
    /// Where to connect. Its password is never printed.
    public var connection: ConnectionSettings
    /// The tenant schema, for schema-per-tenant; `nil` for a database of its own.
    public var tenantSchema: TenantSchema?

    public init(connection: ConnectionSettings, tenantSchema: TenantSchema? = nil) {
        self.connection = connection
        self.tenantSchema = tenantSchema
    }

    /// The configuration a run on this target uses: `configuration`, aimed at the tenant schema if there is one.
    public func configuration(from configuration: RobotConfiguration) -> RobotConfiguration {
        tenantSchema.map { configuration.aimed(at: $0) } ?? configuration
    }

    /// The connection URL without its password, then the schema as a targets file writes it:
    /// `postgres://app@db:5432/app?sslmode=prefer schema=acme`.
    public var description: String {
        Self.label(url: connection.description, schema: tenantSchema?.name)
    }

    /// A target as a targets file line writes it: `url`, then `schema=NAME` when there is a schema.
    static func label(url: String, schema: String?) -> String {
        url + (schema.map { " schema=\(written($0))" } ?? "")
    }

    /// What identifies the target whoever lists it: host, port, database and schema (not the user, the password or
    /// the TLS mode). Two targets with the same identity are the same target.
    public var identity: String {
        "\(connection.host):\(connection.port)/\(connection.database)" + (tenantSchema.map { "\u{0}\($0.name)" } ?? "")
    }

    /// A number from ``identity`` that is the same in every process, on every machine and in every release: the
    /// first 8 bytes of its SHA-256. (Swift's `hashValue` differs from process to process.)
    public var stableHash: UInt64 {
        SHA256.hash(data: Array(identity.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A schema name as a targets file takes it: as it is, or double-quoted (inner quotes doubled) when it has a
    /// blank, a `#` or starts with a quote.
    private static func written(_ schema: String) -> String {
        let plain = !schema.hasPrefix("\"") && !schema.contains { $0.isWhitespace || $0 == "#" }
        return plain ? schema : "\"" + schema.replacing("\"", with: "\"\"") + "\""
    }
}

/// Which share of a fleet one process takes: the targets whose ``FleetTarget/stableHash`` modulo ``count`` is
/// ``index``. N processes with shards 0/N … (N-1)/N together take every target exactly once, with no coordinator.
public struct FleetShard: Sendable, Hashable, CustomStringConvertible {
    /// From 0 to ``count`` - 1.
    public let index: Int
    /// How many shards the fleet is split into, at least 1.
    public let count: Int

    /// - Throws: ``FleetError/invalidShard(_:)`` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws(FleetError) {
        guard count >= 1, (0..<count).contains(index) else { throw .invalidShard("\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`, as `--shard` takes it.
    public init(parsing text: String) throws(FleetError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw .invalidShard(text) }
        try self.init(index: index, count: count)
    }

    /// Whether `target` falls in this shard.
    public func contains(_ target: FleetTarget) -> Bool {
        target.stableHash % UInt64(count) == UInt64(index)
    }

    public var description: String { "\(index)/\(count)" }
}
