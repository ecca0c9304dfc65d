import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OrchestratorService
import Synchronization
import Testing

/// The built `orchestrator` exporting its boot's spans over OTLP/HTTP to a collector started by the test.
@Suite struct TraceExportTests {
    @Test func bootSpansReachTheCollectorWhileTheServiceRunsAndMetricsAreScraped() async throws {
        let db = try await ServiceDatabase.make()
        try await TraceCollector.whileListening { collector, collectorPort in
            var environment = OrchestratorProcess.environment(for: db)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:\(collectorPort)"
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"
            environment["OTEL_SERVICE_NAME"] = "orchestrator-under-test"
            let metrics = try await OrchestratorProcess.whileListening(environment: environment) { port in
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    _ = try await client.get("/health")
                    // Sent on the batch schedule while the service runs, not only when it stops.
                    try await collector.waitForExports(containing: ["maintenance-robot run", "maintenance-robot step"])
                    return String(buffer: try #require(try await client.get("/metrics").body))
                }
            }
            let samples = prometheusSamples(metrics)
            #expect(samples.contains(#"maintenance_robot_runs_total{outcome="succeeded"} 1"#), "\(metrics)")
            #expect(samples.contains(#"maintenance_robot_steps_total{outcome="applied"} \#(OrchestratorSteps.all.count)"#))
            #expect(samples.contains(#"hb_requests{http_route="/health",http_request_method="GET",http_response_status_code="200"} 1"#),
                    "the HTTP request metrics of the bootstrapped backend: \(metrics)")
            let exports = collector.exports
            #expect(exports.allSatisfy { $0.contentType == "application/x-protobuf" })
            #expect(exports.contains { $0.contains("orchestrator-under-test") && $0.contains("robot.ledger_schema") })
        }
    }

    @Test func spansOfABootStoppedByACriticalStepAreSentBeforeTheProcessExits() async throws {
        let db = try await ServiceDatabase.make()
        try await TraceCollector.whileListening { collector, collectorPort in
            // Longer than the boot: only the flush at shutdown can send them in time.
            let result = try await runStoppedBoot(db, collectorPort: collectorPort, ["OTEL_BSP_SCHEDULE_DELAY": "600000"])
            #expect(collector.exports.contains {
                $0.contains("maintenance-robot step") && $0.contains("Deliberately failing critical step (test hook)") && $0.contains("P0001")
            }, "\(collector.exports.count) exports; \(result.stderr)")
        }
    }

    @Test func otelHeadersReachTheCollectorAndTheirValuesNeverTheLog() async throws {
        let db = try await ServiceDatabase.make()
        try await TraceCollector.whileListening { collector, collectorPort in
            let result = try await runStoppedBoot(db, collectorPort: collectorPort, [
                "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=s3cr3t-collector-key", "OTEL_LOG_LEVEL": "debug",
            ])
            #expect(!collector.exports.isEmpty)
            #expect(collector.exports.allSatisfy { $0.headers["x-api-key"] == "s3cr3t-collector-key" })
            #expect(result.stderr.contains("environment_key=OTEL_EXPORTER_OTLP_TRACES_HEADERS"), "swift-otel notes the variable: \(result.stderr)")
            #expect(!result.stderr.contains("s3cr3t"), "\(result.stderr)")
        }
    }

    @Test(arguments: [
        ("OTEL_SERVICE_NAME", "no-endpoint"),
        ("OTEL_SDK_DISABLED", "true"),
        ("OTEL_TRACES_EXPORTER", "none"),
    ])
    func withoutAnEndpointOrWithTracesOffNoExporterRuns(variable: String, value: String) async throws {
        let db = try await ServiceDatabase.make()
        try await TraceCollector.whileListening { collector, collectorPort in
            // An exporter, had one run, would send the stopped boot's spans before the exit.
            let result = try await runStoppedBoot(db, collectorPort: variable == "OTEL_SERVICE_NAME" ? nil : collectorPort,
                                                  [variable: value, "OTEL_LOG_LEVEL": "debug"])
            #expect(collector.exports.isEmpty)
            #expect(!result.stderr.contains("[OTel]") && !result.stderr.contains("makeTracingBackend"), "\(result.stderr)")
        }
    }

    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTLP/HTTP only"),
        ("OTEL_TRACES_EXPORTER", "zipkin", "an exporter this service does not have"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4318", "is not an http:// or https:// URL"),
    ])
    func unusableOTelVariableStopsTheServiceNamingIt(variable: String, value: String, problem: String) async throws {
        let db = try await ServiceDatabase.make()
        var environment = OrchestratorProcess.environment(for: db)
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9"
        environment[variable] = value
        let result = try await OrchestratorProcess.runToEnd(environment: environment)
        #expect(result.status == .exited(1))
        #expect(result.stderr.contains("\(variable): "), "\(result.stderr)")
        #expect(result.stderr.contains(problem), "\(result.stderr)")
        #expect(!result.stdout.contains("orchestrator listening on"))
    }
}

/// Runs the service with a step that stops its boot, so it exits right after, with `variables` and the collector's
/// endpoint (unless nil) added to its environment.
private func runStoppedBoot(_ db: ServiceDatabase, collectorPort: Int?, _ variables: [String: String]) async throws -> OrchestratorProcess.Result {
    var environment = OrchestratorProcess.environment(for: db)
    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorPort.map { "http://127.0.0.1:\($0)" }
    environment["ORCHESTRATOR_APPEND_FAILING_STEP"] = "critical"
    environment.merge(variables) { $1 }
    let result = try await OrchestratorProcess.runToEnd(environment: environment)
    #expect(result.status == .exited(1), "\(result.stderr)")
    return result
}

/// A stand-in OpenTelemetry collector: a real HTTP server on a free loopback port that keeps every OTLP/HTTP trace
/// export it receives.
final class TraceCollector: Sendable {
    /// One `POST /v1/traces`.
    struct Export: Sendable {
        /// Its headers, by lower-case name.
        var headers: [String: String]
        var body: [UInt8]

        var contentType: String? { headers["content-type"] }

        /// Whether the body holds `text` as UTF-8 bytes, as a protobuf message holds its strings.
        func contains(_ text: String) -> Bool {
            let needle = Array(text.utf8)
            return body.indices.contains { start in body[start...].starts(with: needle) }
        }
    }

    private let received = Mutex<[Export]>([])

    var exports: [Export] { received.withLock { $0 } }

    /// Runs a collector for `body`, which gets it and its port.
    static func whileListening<Value: Sendable>(_ body: @Sendable (TraceCollector, Int) async throws -> Value) async throws -> Value {
        let collector = TraceCollector()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 << 20)
            collector.received.withLock { $0.append(Export(
                headers: Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { first, _ in first },
                body: Array(buffer: bytes))) }
            // An empty ExportTraceServiceResponse: full success.
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"])
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test-collector"))
        return try await app.test(.live) { client in try await body(collector, try #require(client.port)) }
    }

    /// Waits (up to `limit`) until each of `texts` has arrived, in one export or several (a batch holds the spans
    /// that ended since the last).
    func waitForExports(containing texts: [String], within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while !texts.allSatisfy({ text in exports.contains { $0.contains(text) } }) {
            guard ContinuousClock.now < deadline else { throw TimedOut(limit: limit) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
