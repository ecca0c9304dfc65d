import Foundation

/// The one way the robot writes JSON (`run`, `status`, `lint`, `verify`, the lock file): pretty-printed,
/// keys sorted and slashes unescaped, so it diffs stably, with ISO 8601 dates, so a `JSONDecoder`
/// whose `dateDecodingStrategy` is `.iso8601` reads it back.
package enum ReportJSON {
    /// `value` as JSON.
    ///
    /// - Precondition: `value` holds no non-finite number, the only thing `JSONEncoder` refuses in the
    ///   robot's values (text, integers, flags, dates, and durations measured by a clock).
    package static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try encoder.encode(value)
        } catch {
            preconditionFailure("\(type(of: value)) cannot be written as JSON: \(error)")
        }
    }
}
