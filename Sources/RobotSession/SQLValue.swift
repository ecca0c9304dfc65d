import PostgresNIO

/// One value bound to a query parameter (`$1`, `$2` …); `nil` binds SQL NULL.
package enum SQLValue: Sendable, Hashable {
    /// A `text` value.
    case text(String?)
    /// A `bigint` value.
    case integer(Int?)
    /// A `boolean` value.
    case boolean(Bool?)
    /// A `double precision` value.
    case double(Double?)
}

extension PostgresBindings {
    /// The bindings for `values`, in order.
    init(_ values: [SQLValue]) {
        self.init(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): append(text)
            case .integer(let integer): append(integer)
            case .boolean(let boolean): append(boolean)
            case .double(let double): append(double)
            }
        }
    }
}
