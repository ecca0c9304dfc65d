/// A message the server sent while a statement ran: `RAISE NOTICE`, `WARNING`, `INFO` and the like.
public struct ServerNotice: Sendable, Hashable, Codable {
    /// `NOTICE`, `WARNING`, `INFO`, `DEBUG` or `LOG` (the non-localized severity when the server sends it).
    public var severity: String
    /// The SQLSTATE, e.g. `01000` for a warning, `00000` for a notice.
    public var sqlState: String?
    /// The primary message.
    public var message: String
    /// The optional detail line.
    public var detail: String?
    /// The optional hint line.
    public var hint: String?
    /// Where it was raised, e.g. `PL/pgSQL function inline_code_block line 3 at RAISE`.
    public var context: String?

    /// Creates a notice from its fields.
    public init(severity: String, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil, context: String? = nil) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.context = context
    }
}
