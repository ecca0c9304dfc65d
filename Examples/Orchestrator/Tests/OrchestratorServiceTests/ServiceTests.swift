import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MaintenanceRobot
import OrchestratorService
import Prometheus
import Testing

/// The service in-process over real HTTP, against a real PostgreSQL: each test has its own fresh database.
@Suite struct ServiceTests {
    static let seededCredentialTypes: [String: [String]] = [
        "whatsapp_cloud": ["whatsapp_access_token", "whatsapp_phone_number_id", "whatsapp_webhook_url"],
        "tiendanube": ["tiendanube_access_token", "tiendanube_store_id"],
        "google": ["google_client_id", "google_client_secret"],
        "meta": ["meta_app_id", "meta_app_secret"],
        "tiktok": ["tiktok_client_key", "tiktok_client_secret"],
    ]

    @Test func freshDatabaseBootsWithEverySeedAndTenantsRoundTrip() async throws {
        let db = try await ServiceDatabase.make()
        try await db.withService { client in
            let health = try await client.get("/health").decoded(HealthResponse.self)
            #expect(health.status == "ok" && health.databaseReachable)
            #expect(health.robot.outcome == "succeeded" && health.robot.applied == OrchestratorSteps.all.count)
            #expect(health.robot.skipped == 0 && health.robot.failed == 0 && health.robot.failedSteps.isEmpty)

            let providers = try await client.get("/providers").decoded([ProviderResponse].self)
            #expect(providers.map(\.key) == ["whatsapp_cloud", "tiendanube", "google", "meta", "tiktok"])
            #expect(Dictionary(uniqueKeysWithValues: providers.map { ($0.key, $0.credentialTypes.map(\.internalKey).sorted()) }) == Self.seededCredentialTypes)
            #expect(providers.flatMap(\.credentialTypes).allSatisfy { $0.helpURL?.hasPrefix("https://") == true })

            let created = try await client.send(.post, "/tenants", json: sampleTenant(1, timezone: "America/Argentina/Buenos_Aires"))
            #expect(created.status == .created)
            let tenant = try created.decoded(TenantResponse.self)
            #expect(tenant.storeName == "Store 1" && tenant.timezone == "America/Argentina/Buenos_Aires" && tenant.isActive)
            #expect(tenant.usesDefaultSystemPrompt && tenant.systemPromptTemplate.contains("shopping assistant"))

            let stored = try await client.send(.put, "/tenants/\(tenant.id)/credentials/google_client_secret", json: StoreCredentialRequest(value: "GOCSPX-s3cret"))
            #expect(stored.status == .ok)
            #expect(!String(buffer: stored.body).contains("s3cret"))
            #expect(try stored.decoded(StoredCredentialResponse.self).provider == "google")

            let listed = try await client.get("/tenants").decoded([TenantResponse].self)
            #expect(listed.map(\.id) == [tenant.id])
            #expect(listed.first?.credentials == ["google_client_secret"])
        }
        let sealed = try #require(try await db.value("SELECT encode(encrypted_value, 'base64') FROM tenant_credentials"))
        #expect(!sealed.contains("s3cret"))
        #expect(try db.configuration.cipher.open(Array(try #require(Data(base64Encoded: sealed)))) == "GOCSPX-s3cret")
    }

    @Test func replacingACredentialKeepsOneRowWithTheNewValue() async throws {
        let db = try await ServiceDatabase.make()
        try await db.withService { client in
            let tenant = try await client.send(.post, "/tenants", json: sampleTenant(2)).decoded(TenantResponse.self)
            for value in ["first-token", "second-token"] {
                let response = try await client.send(.put, "/tenants/\(tenant.id)/credentials/whatsapp_access_token", json: StoreCredentialRequest(value: value))
                #expect(response.status == .ok)
            }
        }
        let sealed = try await db.query("SELECT encode(encrypted_value, 'base64') FROM tenant_credentials")
        #expect(sealed.count == 1)
        let value = try #require(sealed.first?.first ?? nil)
        #expect(try db.configuration.cipher.open(Array(try #require(Data(base64Encoded: value)))) == "second-token")
    }

    @Test func badInputGetsA4xxThatSaysWhatIsWrong() async throws {
        let db = try await ServiceDatabase.make()
        try await db.withService { client in
            let tenant = try await client.send(.post, "/tenants", json: sampleTenant(3)).decoded(TenantResponse.self)
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status, String)] = [
                (.post, "/tenants", "{not json", .badRequest, "not valid JSON"),
                (.post, "/tenants", "[]", .badRequest, "must be a JSON object"),
                (.post, "/tenants", #"{"storeName":"A","ownerEmail":"a@b.co"}"#, .badRequest, "botPhoneNumber is missing"),
                (.post, "/tenants", #"{"storeName":5,"botPhoneNumber":"+5491100000000","ownerEmail":"a@b.co"}"#, .badRequest, "storeName must be a string"),
                (.post, "/tenants", #"{"storeName":"A","botPhoneNumber":"12","ownerEmail":"a@b.co"}"#, .unprocessableContent, "E.164"),
                (.post, "/tenants", #"{"storeName":"A","botPhoneNumber":"+5491100000000","ownerEmail":"nobody"}"#, .unprocessableContent, "ownerEmail"),
                (.post, "/tenants", #"{"storeName":"A","botPhoneNumber":"+5491100000000","ownerEmail":"a@b.co","timezone":"Mars/Base"}"#, .unprocessableContent, "Mars/Base"),
                (.post, "/tenants", try json(sampleTenant(3)), .conflict, "already uses this bot phone number"),
                (.put, "/tenants/\(tenant.id)/credentials/stripe_key", #"{"value":"x"}"#, .notFound, "not a credential type; known: google_client_id"),
                (.put, "/tenants/999999/credentials/google_client_id", #"{"value":"x"}"#, .notFound, "no tenant with id 999999"),
                (.put, "/tenants/abc/credentials/google_client_id", #"{"value":"x"}"#, .badRequest, "positive integer"),
                (.put, "/tenants/\(tenant.id)/credentials/whatsapp_webhook_url", #"{"value":"not a url"}"#, .unprocessableContent, "http(s) URL"),
                (.put, "/tenants/\(tenant.id)/credentials/google_client_id", #"{"value":"   "}"#, .unprocessableContent, "not only spaces"),
                (.put, "/tenants/\(tenant.id)/credentials/google_client_id", "", .badRequest, "body is empty"),
            ]
            for (method, uri, body, status, message) in cases {
                let response = try await client.send(method, uri, raw: body)
                #expect(response.status == status, "\(method) \(uri) \(body)")
                #expect(response.errorMessage?.contains(message) == true, "\(response.errorMessage ?? String(buffer: response.body))")
            }
            #expect(try await client.get("/tenants").decoded([TenantResponse].self).count == 1)
        }
    }

    @Test func failingSoftStepBootsDegradedAndSaysSoOnHealth() async throws {
        let db = try await ServiceDatabase.make()
        let broken = failingStep(critical: false)
        try await db.withService(steps: OrchestratorSteps.all + [broken]) { client in
            let response = try await client.get("/health")
            #expect(response.status == .ok)
            let health = try response.decoded(HealthResponse.self)
            #expect(health.status == "degraded")
            #expect(health.robot.outcome == "degraded" && health.robot.failed == 1)
            #expect(health.robot.failedSteps == [broken.name])
            #expect(try await client.send(.post, "/tenants", json: sampleTenant(4)).status == .created)
        }
    }

    @Test func metricsListTheRobotsCountersOfAFreshBootAndOfASecondBoot() async throws {
        let db = try await ServiceDatabase.make()
        let steps = OrchestratorSteps.all.count
        let fresh = try await db.withService { client in try await Scrape(client.get("/metrics")) }
        #expect(fresh.status == .ok)
        #expect(fresh.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(fresh.samples.isSuperset(of: [
            #"maintenance_robot_runs_total{outcome="succeeded"} 1"#,
            #"maintenance_robot_steps_total{outcome="applied"} \#(steps)"#,
            #"maintenance_robot_run_duration_seconds_count{outcome="succeeded"} 1"#,
            #"maintenance_robot_step_duration_seconds_count{step="0001",outcome="applied"} 1"#,
        ]), "\(fresh.samples.sorted())")
        #expect(fresh.samples.filter { $0.hasPrefix("maintenance_robot_step_duration_seconds_count{") }.count == steps)
        #expect(!fresh.samples.contains { $0.contains(#"outcome="skipped""#) })

        let second = try await db.withService { client in try await Scrape(client.get("/metrics")) }
        #expect(second.samples.isSuperset(of: [
            #"maintenance_robot_runs_total{outcome="succeeded"} 1"#,
            #"maintenance_robot_steps_total{outcome="skipped"} \#(steps)"#,
        ]), "\(second.samples.sorted())")
        #expect(!second.samples.contains { $0.contains(#"outcome="applied""#) })
    }

    @Test func failingCriticalStepStopsTheBootBeforeTheServerListens() async throws {
        let db = try await ServiceDatabase.make()
        let listened = ListeningRecorder()
        let metrics = PrometheusCollectorRegistry()
        let app = try OrchestratorApplication.make(
            configuration: try db.configuration, steps: OrchestratorSteps.all + [failingStep(critical: true)], metrics: metrics,
            logger: Logger(label: "test-service"), onListening: { port in await listened.record(port) })
        let error = await #expect(throws: OrchestratorBootError.self) {
            try await withTimeout(.seconds(60)) { try await app.run() }
        }
        #expect(error?.report?.outcome == .stopped)
        #expect(error?.report?.failedSteps.map(\.name) == ["Broken critical step (v9.9 Update)"])
        #expect(await listened.ports.isEmpty)
        // A boot that stops is counted too.
        let samples = prometheusSamples(metrics.emitToString())
        #expect(samples.isSuperset(of: [#"maintenance_robot_runs_total{outcome="stopped"} 1"#, #"maintenance_robot_steps_total{outcome="failed"} 1"#]),
                "\(samples.sorted())")
    }

    @Test func twoHundredConcurrentRequestsMixingValidAndMalformedBodies() async throws {
        let db = try await ServiceDatabase.make()
        let malformed = ["{", "[]", "null", #"{"storeName":"x"}"#, #"{"storeName":"x","botPhoneNumber":"+1","ownerEmail":"x@y.z"}"#,
                         #"{"storeName":"","botPhoneNumber":"+5491100000001","ownerEmail":"x@y.z"}"#]
        try await db.withService { client in
            let statuses = try await withThrowingTaskGroup(of: (Bool, HTTPResponse.Status).self) { group in
                for number in 0..<200 {
                    group.addTask {
                        let isValid = number.isMultiple(of: 2)
                        let body = isValid ? try json(sampleTenant(1000 + number)) : malformed[number % malformed.count]
                        return (isValid, try await client.send(.post, "/tenants", raw: body).status)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 200)
            #expect(statuses.filter(\.0).allSatisfy { $0.1 == .created })
            #expect(statuses.filter { !$0.0 }.allSatisfy { (400..<500).contains($0.1.code) })
            #expect(try await client.get("/health").decoded(HealthResponse.self).status == "ok")
            #expect(try await client.get("/tenants").decoded([TenantResponse].self).count == 100)
        }
    }
}

/// One `GET /metrics` response.
struct Scrape: Sendable {
    let status: HTTPResponse.Status
    let contentType: String?
    let samples: Set<String>

    init(_ response: TestResponse) {
        status = response.status
        contentType = response.headers[.contentType]
        samples = prometheusSamples(String(buffer: response.body))
    }
}

func json(_ value: some Encodable) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}

/// The ports the service reported listening on.
actor ListeningRecorder {
    private(set) var ports: [Int] = []
    func record(_ port: Int) { ports.append(port) }
}

/// Runs `body`, failing with a timeout error (and cancelling it) when it takes longer than `limit`.
func withTimeout<Value: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
    return try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        return try #require(try await group.next())
    }
}

/// A bounded wait ran out.
struct TimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "did not finish within \(limit)" }
}
