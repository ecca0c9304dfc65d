import NIOCore
import PostgresNIO

/// A failure reported by the server, or by the connection, while running SQL.
///
/// The fields are the server's error fields. ``isConnectionLost`` marks failures that are not about the SQL:
/// the connection broke (server stopped, backend terminated, network gone).
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The SQLSTATE, e.g. `42P07`; `nil` when the failure did not come from the server.
    public var sqlState: String?
    /// The primary message.
    public var message: String
    /// The optional detail line.
    public var detail: String?
    /// The optional hint line.
    public var hint: String?
    /// The 1-based character position in the statement where the error was found (the server's P field).
    public var position: Int?
    /// The position inside ``internalQuery``, for errors inside PL/pgSQL (the server's p field).
    public var internalPosition: Int?
    /// The internally generated statement that failed (the server's q field).
    public var internalQuery: String?
    /// The call stack, e.g. `PL/pgSQL function inline_code_block line 3 at PERFORM` (the server's W field).
    public var context: String?
    /// The schema of the object involved, when the server names one.
    public var schemaName: String?
    /// The table involved, when the server names one.
    public var tableName: String?
    /// The column involved, when the server names one.
    public var columnName: String?
    /// The constraint involved, when the server names one.
    public var constraintName: String?
    /// The connection broke: not a SQL failure; reconnecting and retrying may help.
    public var isConnectionLost: Bool

    /// Creates an error from its fields.
    public init(
        sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        position: Int? = nil, internalPosition: Int? = nil, internalQuery: String? = nil, context: String? = nil,
        schemaName: String? = nil, tableName: String? = nil, columnName: String? = nil, constraintName: String? = nil,
        isConnectionLost: Bool = false
    ) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.internalPosition = internalPosition
        self.internalQuery = internalQuery
        self.context = context
        self.schemaName = schemaName
        self.tableName = tableName
        self.columnName = columnName
        self.constraintName = constraintName
        self.isConnectionLost = isConnectionLost
    }

    /// `ERROR 42P07: relation "x" already exists (detail: …; hint: …; context: …)`, or
    /// `connection lost: …` for a broken connection.
    public var description: String {
        let extras = [("detail", detail), ("hint", hint), ("context", context)]
            .compactMap { label, value in value.map { "\(label): \($0)" } }
        let suffix = extras.isEmpty ? "" : " (\(extras.joined(separator: "; ")))"
        if isConnectionLost {
            return "connection lost: \(message)\(suffix). Reconnect and retry; check that the server is running."
        }
        return "ERROR \(sqlState ?? "?????"): \(message)\(suffix)"
    }
}

extension DatabaseError {
    /// SQLSTATEs after which the server closes the connection (admin_shutdown, crash_shutdown, cannot_connect_now).
    private static let connectionEndingStates: Set<String> = ["57P01", "57P02", "57P03"]

    /// Maps any failure of a PostgresNIO call: server errors keep their fields; connection failures are
    /// marked ``isConnectionLost``.
    init(_ error: any Error) {
        switch error {
        case let error as PSQLError:
            self.init(error)
        case let error as DatabaseError:
            self = error
        case is ChannelError, is IOError:
            self.init(message: "the connection failed: \(error)", isConnectionLost: true)
        default:
            self.init(message: "the query failed: \(error)")
        }
    }

    private init(_ error: PSQLError) {
        guard let info = error.serverInfo else {
            self.init(message: Self.describe(error), isConnectionLost: Self.isConnectionFailure(error.code))
            return
        }
        self.init(
            sqlState: info[.sqlState],
            message: info[.message] ?? "the server reported an error without a message",
            detail: info[.detail], hint: info[.hint],
            position: info[.position].flatMap { Int($0) },
            internalPosition: info[.internalPosition].flatMap { Int($0) },
            internalQuery: info[.internalQuery], context: info[.locationContext],
            schemaName: info[.schemaName], tableName: info[.tableName],
            columnName: info[.columnName], constraintName: info[.constraintName],
            isConnectionLost: info[.sqlState].map(Self.connectionEndingStates.contains) ?? false
        )
    }

    private static func isConnectionFailure(_ code: PSQLError.Code) -> Bool {
        [.serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError].contains(code)
    }

    /// A sentence for a PSQLError that carries no server fields (its own description is deliberately generic).
    static func describe(_ error: PSQLError) -> String {
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        switch error.code {
        case .serverClosedConnection: return "the server closed the connection\(underlying)"
        case .clientClosedConnection: return "the connection was already closed by this process\(underlying)"
        case .uncleanShutdown: return "the connection ended without a proper TLS shutdown\(underlying)"
        case .connectionError: return "the connection failed\(underlying)"
        case .queryCancelled: return "the query was cancelled"
        case .tooManyParameters: return "too many bind parameters (at most 65535)"
        default: return "\(error.code)\(underlying)"
        }
    }
}
