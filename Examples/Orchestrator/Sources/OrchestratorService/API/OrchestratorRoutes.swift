import Hummingbird
import Logging
import Prometheus

/// The HTTP API: health, metrics, the provider catalogue, tenants and their credentials.
struct OrchestratorRoutes: Sendable {
    let store: OrchestratorStore
    let cipher: CredentialCipher
    let bootReport: BootReport
    let metrics: PrometheusCollectorRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.get("/health", use: health)
        router.get("/metrics") { _, _ in OrchestratorMetrics.response(metrics) }
        router.get("/providers") { _, _ in try await store.providers() }
        router.get("/tenants") { _, _ in try await store.tenants() }
        router.post("/tenants", use: createTenant)
        router.put("/tenants/:id/credentials/:internal_key", use: storeCredential)
    }

    @Sendable func health(_ request: Request, context: BasicRequestContext) async throws -> EditedResponse<HealthResponse> {
        let reachable = await store.isReachable()
        let summary = await bootReport.summary
        let status = !reachable ? "unavailable" : summary.outcome == "succeeded" ? "ok" : "degraded"
        return EditedResponse(
            status: reachable ? .ok : .serviceUnavailable,
            response: HealthResponse(status: status, databaseReachable: reachable, robot: summary))
    }

    @Sendable func createTenant(_ request: Request, context: BasicRequestContext) async throws -> EditedResponse<TenantResponse> {
        let tenant = try await JSONBody.decode(CreateTenantRequest.self, from: request)
        try InputValidation.validate(tenant)
        return EditedResponse(status: .created, response: try await store.createTenant(tenant))
    }

    @Sendable func storeCredential(_ request: Request, context: BasicRequestContext) async throws -> StoredCredentialResponse {
        guard let tenantID = context.parameters.get("id", as: Int.self), tenantID > 0 else {
            throw APIError(.badRequest, "the tenant id in the path must be a positive integer", field: "id")
        }
        let internalKey = context.parameters.get("internal_key") ?? ""
        let body = try await JSONBody.decode(StoreCredentialRequest.self, from: request)
        guard let type = try await store.credentialType(internalKey: internalKey) else {
            let known = try await store.credentialTypeKeys().joined(separator: ", ")
            throw APIError(.notFound, "\"\(internalKey)\" is not a credential type; known: \(known)", field: "internal_key")
        }
        try InputValidation.validateCredential(body.value, fieldType: type.fieldType, internalKey: internalKey)
        let sealed = try cipher.seal(body.value)
        let updatedAt = try await store.storeCredential(tenantID: tenantID, credentialTypeID: type.id, sealedValue: sealed)
        return StoredCredentialResponse(tenantId: tenantID, internalKey: internalKey, provider: type.provider, updatedAt: updatedAt)
    }
}
