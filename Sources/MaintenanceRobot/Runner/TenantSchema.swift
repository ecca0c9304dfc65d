/// The schema of one tenant, which a run can be aimed at (``RobotConfiguration/aimed(at:)``): its steps then work in
/// that schema (`search_path` set to it, then `public`), with a ledger and a lock of the tenant's own.
///
/// Any name PostgreSQL accepts: upper case, spaces and quotes included (`Acme "EU"`); it is always quoted.
public struct TenantSchema: Sendable, Hashable, CustomStringConvertible {
    /// The schema name exactly as PostgreSQL stores it (`pg_namespace.nspname`).
    public let name: String

    /// Accepts a name of 1 to 63 bytes (PostgreSQL's limit) without a NUL character.
    public init(_ name: String) throws(RobotError) {
        guard (1...63).contains(name.utf8.count), !name.unicodeScalars.contains("\0") else {
            throw .invalidTenantSchema(name)
        }
        self.name = name
    }

    /// The name double-quoted for SQL, inner quotes doubled: `"Acme ""EU"""`.
    public var quoted: String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    public var description: String { name }
}

extension RobotConfiguration {
    /// This configuration aimed at the tenant schema `tenant`: every step runs with `search_path` set to the tenant's
    /// schema, then `public` (also after a step that changed the session), and the run keeps its ledger — and with it
    /// its advisory lock — in a schema of that tenant's own, ``LedgerSchema/forTenant(_:)`` of ``ledgerSchema``. So
    /// one tenant's run neither sees nor blocks another's, and the app's own tables (even ones named `steps`, `runs`
    /// or `meta`) never meet the ledger's.
    ///
    /// A run whose tenant schema does not exist stops before anything runs (``RobotError/tenantSchemaNotFound(_:)``):
    /// PostgreSQL would otherwise create the steps' tables in `public`.
    ///
    /// - note: Aim last: a ``ledgerSchema`` set afterwards replaces the tenant's.
    public func aimed(at tenant: TenantSchema) -> RobotConfiguration {
        var aimed = self
        aimed.tenantSchema = tenant
        aimed.ledgerSchema = ledgerSchema.forTenant(tenant)
        return aimed
    }
}
