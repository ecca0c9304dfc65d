import Logging
import Synchronization

/// Records what is logged through its ``logger``, for tests that check log messages and metadata.
public final class CapturedLogs: Sendable {
    /// One logged message with its level and metadata (values rendered as text).
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        /// The message and every metadata key and value on one line, for "never contains" checks.
        public var renderedLine: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let recorded = Mutex<[Entry]>([])

    public init() {}

    /// A logger at `level` that records into this capture.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything recorded so far, in order.
    public var entries: [Entry] {
        recorded.withLock { $0 }
    }

    fileprivate func record(_ entry: Entry) {
        recorded.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let capture: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.record(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
