import PostgresNIO

/// One result row. Text-like and integer columns are decoded; write `::text` casts in SQL for other types.
package struct SessionRow: Sendable {
    /// One decoded cell.
    enum Cell: Sendable, Hashable {
        case null
        case text(String)
        case integer(Int)
        case boolean(Bool)
        /// A column of a type this row does not decode (its type name), e.g. `numeric` without a `::text` cast.
        case undecoded(String)
    }

    /// The column names, in order.
    package var columnNames: [String]
    let cells: [Cell]

    /// Decodes `row`, whose column names the caller read once for all rows of the result.
    init(_ row: PostgresRow, columnNames: [String]) {
        self.columnNames = columnNames
        cells = row.map(Self.decode)
    }

    /// The value of `column` as text (integers and booleans are rendered: `42`, `true`); `nil` for NULL,
    /// a missing column or an undecoded type.
    package func string(_ column: String) -> String? {
        switch cell(column) {
        case .text(let text): text
        case .integer(let integer): String(integer)
        case .boolean(let boolean): String(boolean)
        case .null, .undecoded, nil: nil
        }
    }

    /// The value of `column` as an integer (text is parsed); `nil` for NULL, a missing column or non-numbers.
    package func int(_ column: String) -> Int? {
        switch cell(column) {
        case .integer(let integer): integer
        case .text(let text): Int(text)
        case .boolean, .null, .undecoded, nil: nil
        }
    }

    /// The value of `column` as a boolean (text `t`/`true`/`f`/`false` is parsed); `nil` otherwise.
    package func bool(_ column: String) -> Bool? {
        switch cell(column) {
        case .boolean(let boolean): boolean
        case .text("t"), .text("true"): true
        case .text("f"), .text("false"): false
        default: nil
        }
    }

    private func cell(_ column: String) -> Cell? {
        columnNames.firstIndex(of: column).map { cells[$0] }
    }

    private static func decode(_ cell: PostgresCell) -> Cell {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int.self)).map(Cell.integer) ?? .undecoded(cell.dataType.description)
        case .bool:
            return (try? cell.decode(Bool.self)).map(Cell.boolean) ?? .undecoded(cell.dataType.description)
        default:
            return (try? cell.decode(String.self)).map(Cell.text) ?? .undecoded(cell.dataType.description)
        }
    }
}
