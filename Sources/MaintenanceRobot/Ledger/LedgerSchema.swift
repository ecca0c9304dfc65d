import Crypto

/// The name of the schema that holds the robot's ledger, validated so it can be quoted safely.
public struct LedgerSchema: Sendable, Hashable, CustomStringConvertible {
    /// The default, `maintenance_robot`.
    public static let standard = LedgerSchema(validated: "maintenance_robot")

    /// The schema name as written.
    public let name: String

    /// Accepts a lowercase PostgreSQL identifier: a letter or `_`, then letters, digits or `_`,
    /// at most 63 characters, and not a `pg_` system name.
    public init(_ name: String) throws(RobotError) {
        let isValid = (1...63).contains(name.utf8.count)
            && name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            && !name.hasPrefix("pg_")
        guard isValid else { throw RobotError.invalidLedgerSchema(name) }
        self.name = name
    }

    private init(validated name: String) { self.name = name }

    /// The schema name double-quoted for SQL.
    var quoted: String { "\"\(name)\"" }

    /// The key of the session advisory lock robots on this ledger schema take while they work (a positive 63-bit
    /// number from the schema name): `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32)
    /// | objid::bigint) = KEY` shows who holds it. Advisory locks are per database, so two databases never share one.
    public var advisoryLockKey: Int {
        let digest = SHA256.hash(data: Array("maintenance_robot:\(name)".utf8))
        return Int(digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x7FFF_FFFF_FFFF_FFFF)
    }

    /// The ledger schema of runs aimed at the tenant schema `tenant` (``RobotConfiguration/aimed(at:)``): this name and
    /// the tenant's in lowercase letters, digits and `_`, cut to 46 characters, then 16 hex digits of a SHA-256 of both
    /// names — `maintenance_robot_acme_eu_5d1c0e2a9b7f3c64`. Each tenant has its own ledger schema, and with it its own
    /// advisory lock key: the digest tells apart names that read alike (`Acme`, `acme`) and long names that share
    /// their first characters.
    public func forTenant(_ tenant: TenantSchema) -> LedgerSchema {
        let digest = Checksum.hex(of: SHA256.hash(data: Array("\(name)\u{0}\(tenant.name)".utf8)))
        let readable = tenant.name.lowercased().unicodeScalars.map { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        return LedgerSchema(validated: "\(String(("\(name)_" + String(readable)).prefix(46)))_\(digest.prefix(16))")
    }

    /// A table of the ledger, schema-qualified and quoted.
    func table(_ table: String) -> String { "\(quoted).\"\(table)\"" }

    public var description: String { name }
}
