import Foundation
import Logging
import MaintenanceRobot
import NIOCore
import PostgresNIO

/// The API's queries against the tables the catalogue creates, over the service's `PostgresClient` pool.
struct OrchestratorStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Every provider with its credential types, in onboarding order.
    func providers() async throws -> [ProviderResponse] {
        let rows = try await fetch("""
            SELECT p.key, p.display_name, t.internal_key, t.display_name, t.field_type, t.is_required, t.placeholder, t.help_url
            FROM oauth_providers p LEFT JOIN credential_types t ON t.provider_id = p.id
            ORDER BY p.sort_order, p.key, t.internal_key
            """)
        var providers: [ProviderResponse] = []
        for (key, name, typeKey, typeName, fieldType, required, placeholder, helpURL) in try rows.map({ try $0.decode((String, String, String?, String?, String?, Bool?, String?, String?).self) }) {
            if providers.last?.key != key {
                providers.append(ProviderResponse(key: key, displayName: name, credentialTypes: []))
            }
            if let typeKey, let typeName, let fieldType, let required {
                providers[providers.count - 1].credentialTypes.append(CredentialTypeResponse(
                    internalKey: typeKey, displayName: typeName, fieldType: fieldType, required: required,
                    placeholder: placeholder, helpURL: helpURL))
            }
        }
        return providers
    }

    /// Every tenant, by id; or the one with `id`.
    func tenants(id: Int? = nil) async throws -> [TenantResponse] {
        let rows = try await fetch("""
            SELECT t.id, t.store_name, t.bot_phone_number, t.owner_email,
                   coalesce(t.system_prompt_template, s.value, ''), t.system_prompt_template IS NULL,
                   t.timezone, t.is_active, t.created_at,
                   array(SELECT ct.internal_key FROM tenant_credentials c JOIN credential_types ct ON ct.id = c.credential_type_id
                         WHERE c.tenant_id = t.id ORDER BY ct.internal_key)
            FROM tenants t LEFT JOIN app_settings s ON s.key = 'default_system_prompt'
            WHERE \(id)::bigint IS NULL OR t.id = \(id)
            ORDER BY t.id
            """)
        var tenants: [TenantResponse] = []
        for (id, store, phone, email, prompt, usesDefault, timezone, isActive, createdAt, credentials) in try rows.map({ try $0.decode((Int, String, String, String, String, Bool, String, Bool, Date, [String]).self) }) {
            tenants.append(TenantResponse(
                id: id, storeName: store, botPhoneNumber: phone, ownerEmail: email, systemPromptTemplate: prompt,
                usesDefaultSystemPrompt: usesDefault, timezone: timezone, isActive: isActive, createdAt: createdAt,
                credentials: credentials))
        }
        return tenants
    }

    /// Inserts a validated tenant and returns it as stored.
    func createTenant(_ tenant: CreateTenantRequest) async throws -> TenantResponse {
        let timezone = tenant.timezone ?? "UTC"
        let rows = try await fetch("""
            INSERT INTO tenants (store_name, bot_phone_number, owner_email, system_prompt_template, timezone)
            VALUES (\(tenant.storeName), \(tenant.botPhoneNumber), \(tenant.ownerEmail), \(tenant.systemPromptTemplate), \(timezone))
            RETURNING id
            """)
        guard let id = try rows.first?.decode(Int.self),
              let created = try await tenants(id: id).first else {
            throw APIError(.internalServerError, "the tenant was inserted but could not be read back")
        }
        return created
    }

    /// A credential type by its internal key, with its provider's key.
    func credentialType(internalKey: String) async throws -> (id: Int, fieldType: String, provider: String)? {
        let rows = try await fetch("""
            SELECT t.id, t.field_type, p.key FROM credential_types t JOIN oauth_providers p ON p.id = t.provider_id
            WHERE t.internal_key = \(internalKey)
            """)
        for (id, fieldType, provider) in try rows.map({ try $0.decode((Int, String, String).self) }) {
            return (id, fieldType, provider)
        }
        return nil
    }

    /// Every credential type's internal key, sorted: what a client may use.
    func credentialTypeKeys() async throws -> [String] {
        let rows = try await fetch("SELECT internal_key FROM credential_types ORDER BY internal_key")
        return try rows.map { try $0.decode(String.self) }
    }

    /// Stores (or replaces) a tenant's sealed credential value and returns when it was stored.
    ///
    /// - Throws: ``APIError`` 404 when the tenant does not exist.
    func storeCredential(tenantID: Int, credentialTypeID: Int, sealedValue: [UInt8]) async throws -> Date {
        let sealed = ByteBuffer(bytes: sealedValue)
        do {
            let rows = try await allRows(of: """
                INSERT INTO tenant_credentials (tenant_id, credential_type_id, encrypted_value)
                VALUES (\(tenantID), \(credentialTypeID), \(sealed))
                ON CONFLICT (tenant_id, credential_type_id)
                DO UPDATE SET encrypted_value = EXCLUDED.encrypted_value, updated_at = now()
                RETURNING updated_at
                """)
            guard let updatedAt = try rows.first?.decode(Date.self) else {
                throw APIError(.internalServerError, "the credential was stored but its time could not be read back")
            }
            return updatedAt
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw APIError(.notFound, "there is no tenant with id \(tenantID)", field: "id")
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Whether the database answers a trivial query.
    func isReachable() async -> Bool {
        do {
            let rows = try await allRows(of: "SELECT 1")
            return try rows.first?.decode(Int.self) == 1
        } catch {
            return false
        }
    }

    /// Runs a query to its last row (errors can arrive with any row), turning database errors into API errors.
    private func fetch(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await allRows(of: query)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs a query on a pooled connection to its last row; a connection that closed under us fails at once.
    private func allRows(of query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.withConnection { connection in try await connection.allRows(of: query, logger: logger) }
    }

    /// A unique violation on the bot phone number is the caller's mistake (409); anything else is ours (503).
    static func mapped(_ error: any Error) -> any Error {
        if let error = error as? DatabaseError {
            return APIError(.serviceUnavailable, "the database could not serve the request: \(error.message)")
        }
        guard let error = error as? PSQLError else { return error }
        let sqlState = error.serverInfo?[.sqlState]
        if sqlState == "23505", error.serverInfo?[.constraintName] == "tenants_bot_phone_number_key" {
            return APIError(.conflict, "another tenant already uses this bot phone number", field: "botPhoneNumber")
        }
        let message = error.serverInfo?[.message] ?? "no answer from the database"
        return APIError(.serviceUnavailable, "the database could not serve the request (\(sqlState ?? "connection")): \(message)")
    }
}
