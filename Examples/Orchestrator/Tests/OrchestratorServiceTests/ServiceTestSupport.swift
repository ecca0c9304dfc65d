import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MaintenanceRobot
import OrchestratorService
import Prometheus
import RobotTestSupport
import Testing

/// A fresh database with a credentials key: what every service test starts from.
struct ServiceDatabase {
    let settings: ConnectionSettings
    let base64Key: String

    static func make(_ label: String = #function) async throws -> ServiceDatabase {
        ServiceDatabase(
            settings: try await TestCluster.freshDatabase(label),
            base64Key: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })
    }

    var configuration: OrchestratorConfiguration {
        get throws {
            var robot = RobotConfiguration()
            robot.connectTimeout = .seconds(10)
            robot.lockWaitTimeout = .seconds(60)
            return OrchestratorConfiguration(database: settings, host: "127.0.0.1", port: 0,
                                             cipher: try CredentialCipher(base64Key: base64Key), robot: robot)
        }
    }

    /// The service on this database with `steps`, run in-process over real HTTP for `body`.
    func withService<Value: Sendable>(
        steps: [Step] = OrchestratorSteps.all,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try OrchestratorApplication.make(configuration: try configuration, steps: steps, metrics: PrometheusCollectorRegistry(),
                                                   logger: Logger(label: "test-service"))
        return try await app.test(.ahc(.http), body)
    }

    /// The rows of one query, each cell as text.
    func query(_ sql: String) async throws -> [[String?]] {
        try await TestQueries.rows(sql, on: settings)
    }

    /// The first cell of the first row.
    func value(_ sql: String) async throws -> String? {
        try await query(sql).first?.first ?? nil
    }
}

extension TestClientProtocol {
    /// Sends `body` as JSON.
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: some Encodable) async throws -> TestResponse {
        try await send(method, uri, raw: String(decoding: try JSONEncoder().encode(body), as: UTF8.self))
    }

    /// Sends `text` as a JSON body, well-formed or not.
    func send(_ method: HTTPRequest.Method, _ uri: String, raw text: String) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: text))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }
}

extension TestResponse {
    /// The body decoded as `type` (dates in ISO 8601, as the service writes them).
    func decoded<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(body.readableBytesView))
    }

    /// The `error.message` of an API error body, or nil when the body is not one.
    var errorMessage: String? {
        struct Body: Decodable {
            struct Detail: Decodable { var message: String }
            var error: Detail
        }
        return try? decoded(Body.self).error.message
    }
}

/// The samples of a Prometheus text exposition, one line each (`name{labels} value`), without comments.
func prometheusSamples(_ text: String) -> Set<String> {
    Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
}

/// A tenant with a phone number derived from `number`, so each is unique.
func sampleTenant(_ number: Int, timezone: String? = nil) -> CreateTenantRequest {
    CreateTenantRequest(storeName: "Store \(number)", botPhoneNumber: "+54911\(String(format: "%07d", number))",
                        ownerEmail: "owner\(number)@example.com", timezone: timezone)
}

/// A step that always fails.
func failingStep(critical: Bool) -> Step {
    Step("Broken \(critical ? "critical" : "soft") step (v9.9 Update)", critical: critical, sql: """
        DO $$ BEGIN RAISE EXCEPTION 'this step is broken on purpose'; END $$;
        """)
}
