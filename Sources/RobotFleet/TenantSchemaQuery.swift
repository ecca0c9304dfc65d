import Logging
import MaintenanceRobot

/// The tenant schemas of a schema-per-tenant database, from a query the user writes.
public enum TenantSchemaQuery {
    /// Runs `query` on the database of `settings` and returns one target per schema name it returns, in its order
    /// (write `ORDER BY`: a canary takes the first targets): that database, aimed at the schema.
    ///
    /// The connection waits for the database and bounds the query as a run would (``RobotConfiguration``'s
    /// `connectTimeout` and `statementTimeout`), and is closed before the fleet starts. A schema the robot uses
    /// itself — PostgreSQL's `pg_…` and `information_schema`, the ledger schema and its tenants' ledger schemas
    /// (names starting with the ledger schema's) — is refused, so that no step ever runs among the ledger's tables.
    public static func targets(
        _ query: String, on settings: ConnectionSettings, configuration: RobotConfiguration, logger: Logger
    ) async throws(FleetError) -> [FleetTarget] {
        let session: DatabaseSession
        do {
            session = try await DatabaseSession.connect(to: settings, waitingUpTo: configuration.connectTimeout, logger: logger)
        } catch ConnectionError.cancelled {
            throw .robot(.cancelled(nil))
        } catch {
            throw .robot(.connection(error))
        }
        let rows: [SessionRow]
        do {
            try await session.execute("SELECT set_config('statement_timeout', $1, false)", [.text("\(Int(configuration.statementTimeout / .milliseconds(1)))ms")])
            rows = try await session.execute(query)
            await session.close()
        } catch {
            await session.close()
            throw error.isConnectionLost ? .robot(.connectionLost(error, step: nil)) : .tenantQueryFailed(error)
        }
        let schemas = try names(rows, ledgerSchema: configuration.ledgerSchema)
        return schemas.map { FleetTarget(connection: settings, tenantSchema: $0) }
    }

    private static func names(_ rows: [SessionRow], ledgerSchema: LedgerSchema) throws(FleetError) -> [TenantSchema] {
        guard let columns = rows.first?.columnNames else { return [] }
        guard columns.count == 1 else { throw .badTenantQueryResult(.columns(columns.count)) }
        var seen = Set<TenantSchema>()
        var schemas: [TenantSchema] = []
        for (index, row) in rows.enumerated() {
            guard let name = row.string(columns[0]) else { throw .badTenantQueryResult(.notAName(row: index + 1)) }
            let schema: TenantSchema
            do {
                schema = try TenantSchema(name)
            } catch {
                throw .badTenantQueryResult(.invalidName(name))
            }
            if name.hasPrefix("pg_") || name == "information_schema" || name.hasPrefix(ledgerSchema.name) {
                throw .badTenantQueryResult(.reserved(name))
            }
            guard seen.insert(schema).inserted else { throw .badTenantQueryResult(.repeated(name)) }
            schemas.append(schema)
        }
        return schemas
    }
}
