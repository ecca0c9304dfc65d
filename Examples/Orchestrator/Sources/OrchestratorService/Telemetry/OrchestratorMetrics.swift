import Hummingbird
import Prometheus

/// The service's metrics in Prometheus text format, served on `GET /metrics`.
///
/// The robot's counters and timers of the boot are recorded into the registry given to
/// ``OrchestratorApplication/make(configuration:steps:metrics:tracer:logger:onListening:)``; the executable also
/// bootstraps swift-metrics with ``factory(recordingInto:)``, so the HTTP request metrics of Hummingbird's
/// `MetricsMiddleware` land there too.
public enum OrchestratorMetrics {
    /// The content type of the Prometheus text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A swift-metrics factory recording into `registry`.
    ///
    /// Names and label names are made valid for Prometheus (`http.server.request.duration` becomes
    /// `http_server_request_duration`): swift-prometheus writes them as they come, and a scraper refuses a dot.
    public static func factory(recordingInto registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name, allowingColons: true), labels.map { (prometheusName($0.0, allowingColons: false), $0.1) })
        }
        return factory
    }

    /// `name` with every character Prometheus does not allow in a metric name (colons allowed) or a label name
    /// (no colons) replaced by `_`.
    static func prometheusName(_ name: String, allowingColons: Bool) -> String {
        var result = String(name.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                || (allowingColons && scalar == ":"))
            return allowed ? Character(scalar) : "_"
        })
        if result.first?.isNumber == true { result = "_" + result }
        return result
    }

    /// The registry's metrics as a `GET /metrics` response.
    static func response(_ registry: PrometheusCollectorRegistry) -> Response {
        Response(status: .ok, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
