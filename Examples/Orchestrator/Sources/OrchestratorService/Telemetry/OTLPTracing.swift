import Foundation
import Logging
import MaintenanceRobot
import OTel
import ServiceLifecycle
import Tracing

/// The robot's spans exported over OTLP/HTTP (swift-otel), configured by the standard OpenTelemetry variables.
///
/// Export is on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, and off — no
/// tracer, no service — when neither is, or when `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. swift-otel
/// reads the other `OTEL_*` variables (service name, resource attributes, headers, batch delays, sampler, timeout) from
/// the process environment. Only OTLP/HTTP is built in (`http/protobuf`, the default, or `http/json`).
public struct OTLPTracing: Sendable {
    /// The tracer to give the robot.
    public let tracer: any Tracer
    /// Batches and sends the spans; run it beside the application, and shut it down after it so the last spans are
    /// sent.
    public let service: any Service

    /// The exporter the process environment asks for, or nil when it asks for none.
    ///
    /// - Throws: `ConfigurationError` naming the variable at fault (a protocol or exporter this build does not have,
    ///   an endpoint that is not an http(s) URL); no error or log line shows an endpoint or a header.
    public static func fromEnvironment(logger: Logger) throws(ConfigurationError) -> OTLPTracing? {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        let endpointVariable = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"].first { environment[$0] != nil }
        guard let endpointVariable, let endpoint = environment[endpointVariable] else { return nil }
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return nil }
        switch environment["OTEL_TRACES_EXPORTER"]?.lowercased() {
        case nil, "otlp": break
        case "none": return nil
        case .some:
            throw ConfigurationError(source: "OTEL_TRACES_EXPORTER", problem: "names an exporter this service does not have.",
                                     remedy: "Set it to otlp, or to none for no traces.")
        }
        try checkProtocol(environment)
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased()), url.host != nil else {
            throw ConfigurationError(source: endpointVariable, problem: "is not an http:// or https:// URL.",
                                     remedy: "Set it to the collector's OTLP/HTTP address, e.g. http://otel-collector:4318.")
        }
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration(logger: logger))
            return OTLPTracing(tracer: backend.factory, service: backend.service)
        } catch {
            throw ConfigurationError(source: endpointVariable, problem: "the OTLP trace exporter could not be set up: \(error).",
                                     remedy: "Check the OTEL_EXPORTER_OTLP_* variables (certificate files, headers), or unset \(endpointVariable) for no traces.")
        }
    }

    /// Refuses a protocol this build lacks: swift-otel stops the process on gRPC without its `OTLPGRPC` trait.
    private static func checkProtocol(_ environment: [String: String]) throws(ConfigurationError) {
        let variable = ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"].first { environment[$0] != nil }
        guard let variable, let value = environment[variable] else { return }
        guard value == "http/protobuf" || value == "http/json" else {
            throw ConfigurationError(source: variable, problem: "this service exports traces over OTLP/HTTP only, not \"\(value)\".",
                                     remedy: "Set it to http/protobuf (a collector's port 4318), or unset it.")
        }
    }

    /// Traces only, over OTLP/HTTP with protobuf unless the environment says JSON; swift-otel's own warnings (a failed
    /// export) go to the service's log.
    private static func configuration(logger: Logger) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "orchestrator"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.diagnosticLogLevel = .warning
        let handler = logger.handler
        configuration.diagnosticLogger = .custom(Logger(label: "swift-otel") { _ in WithoutEnvironmentValues(wrapped: handler) })
        return configuration
    }
}

/// swift-otel notes each `OTEL_*` variable it reads with its value, and a header variable's value is often an API key:
/// this handler keeps the variable's name and drops the values.
struct WithoutEnvironmentValues: LogHandler {
    var wrapped: any LogHandler
    private static let hidden: Set<String> = ["environment_value", "previous_value", "new_value"]

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue.filter { !Self.hidden.contains($0.key) } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { if !Self.hidden.contains(key) { wrapped[metadataKey: key] = newValue } }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = event.metadata?.filter { !Self.hidden.contains($0.key) }
        wrapped.log(event: event)
    }
}
