import Foundation
import Hummingbird

/// An OAuth provider with the credential types a tenant can store for it.
public struct ProviderResponse: ResponseCodable, Sendable, Equatable {
    public var key: String
    public var displayName: String
    public var credentialTypes: [CredentialTypeResponse]
}

/// One kind of credential a tenant can store, as the catalogue's seed data defines it.
public struct CredentialTypeResponse: ResponseCodable, Sendable, Equatable {
    public var internalKey: String
    public var displayName: String
    /// `text`, `secret`, `url` or `phone`: how a value is checked.
    public var fieldType: String
    public var required: Bool
    public var placeholder: String?
    public var helpURL: String?
}

/// A tenant as the API shows it; credential values are never included, only which keys are set.
public struct TenantResponse: ResponseCodable, Sendable, Equatable {
    public var id: Int
    public var storeName: String
    public var botPhoneNumber: String
    public var ownerEmail: String
    /// The tenant's own prompt template, or the global default when it has none.
    public var systemPromptTemplate: String
    /// Whether ``systemPromptTemplate`` is the global default.
    public var usesDefaultSystemPrompt: Bool
    public var timezone: String
    public var isActive: Bool
    public var createdAt: Date
    /// The internal keys of the credentials stored for this tenant, sorted.
    public var credentials: [String]
}

/// The body of `POST /tenants`.
public struct CreateTenantRequest: Codable, Sendable {
    public var storeName: String
    /// E.164, e.g. `+5491155550000`; unique across tenants.
    public var botPhoneNumber: String
    public var ownerEmail: String
    /// Omit to follow the global default prompt.
    public var systemPromptTemplate: String?
    /// An IANA time zone name; `UTC` when omitted.
    public var timezone: String?

    public init(storeName: String, botPhoneNumber: String, ownerEmail: String, systemPromptTemplate: String? = nil, timezone: String? = nil) {
        self.storeName = storeName
        self.botPhoneNumber = botPhoneNumber
        self.ownerEmail = ownerEmail
        self.systemPromptTemplate = systemPromptTemplate
        self.timezone = timezone
    }
}

/// The body of `PUT /tenants/{id}/credentials/{internal_key}`.
public struct StoreCredentialRequest: Codable, Sendable {
    public var value: String

    public init(value: String) { self.value = value }
}

/// What `PUT /tenants/{id}/credentials/{internal_key}` answers: which credential was stored, never its value.
public struct StoredCredentialResponse: ResponseCodable, Sendable, Equatable {
    public var tenantId: Int
    public var internalKey: String
    public var provider: String
    public var updatedAt: Date
}

/// `GET /health`: whether the service is up, the database reachable, and what the robot did at boot.
public struct HealthResponse: ResponseCodable, Sendable, Equatable {
    /// `ok`, `degraded` (a non-critical step failed at boot) or `unavailable` (the database does not answer).
    public var status: String
    public var databaseReachable: Bool
    public var robot: RobotSummary
}

/// The robot's boot report in brief.
public struct RobotSummary: Codable, Sendable, Equatable {
    /// `succeeded` or `degraded` (a critical failure never lets the service start).
    public var outcome: String
    public var applied: Int
    public var skipped: Int
    public var failed: Int
    /// The names of the steps that failed at boot.
    public var failedSteps: [String]
}
