import MaintenanceRobot

/// Why a fleet could not start: nothing ran on any target. (What went wrong on one target is in its
/// ``FleetReport/Target``.) Each case says what to do.
public enum FleetError: Error, Sendable, CustomStringConvertible {
    /// The targets file could not be read.
    case targetsFileUnreadable(path: String, reason: String)
    /// A line of the targets file is not a target.
    case badTargetLine(path: String, line: Int, TargetLineProblem)
    /// The query for tenant schemas failed.
    case tenantQueryFailed(DatabaseError)
    /// The query for tenant schemas returned something other than one column of schema names.
    case badTenantQueryResult(TenantQueryProblem)
    /// A shard that is not `I/N` with `0 <= I < N`.
    case invalidShard(String)
    /// The robot could not load its catalogue, or reach the database the tenant query runs on.
    case robot(RobotError)

    /// What is wrong with a line of a targets file. Never a password: a URL is described by
    /// ``ConfigurationError``, which redacts it, and an unknown field only by its name.
    public enum TargetLineProblem: Error, Sendable {
        /// The line does not start with a `postgres://` URL.
        case notAURL
        /// The URL does not parse.
        case url(ConfigurationError)
        /// A field after the URL other than `schema=`; its name.
        case unknownField(String)
        /// Text after the URL that is not `name=value`.
        case notAField
        /// `schema=` is given twice.
        case repeatedSchema
        /// `schema=` without a name, or a quoted name without its closing quote.
        case badSchemaName(String)
        /// The same target (host, port, database and schema) as an earlier line.
        case repeated(firstLine: Int)
    }

    /// What is wrong with the tenant query's result.
    public enum TenantQueryProblem: Sendable {
        /// Not exactly one column; how many.
        case columns(Int)
        /// A row whose value is NULL or not text; its 1-based number.
        case notAName(row: Int)
        /// A name that cannot be a schema (``RobotError/invalidTenantSchema(_:)``).
        case invalidName(String)
        /// A schema returned twice.
        case repeated(String)
        /// A schema the robot itself uses: a ledger schema, or one of PostgreSQL's.
        case reserved(String)
    }

    public var description: String {
        switch self {
        case .targetsFileUnreadable(let path, let reason):
            "cannot read the targets file \(path): \(reason)"
        case .badTargetLine(let path, let line, let problem):
            "\(path):\(line): \(problem)"
        case .tenantQueryFailed(let error):
            "the query for tenant schemas failed: \(error.description). Write one SELECT that returns one column of schema names, e.g. SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1"
        case .badTenantQueryResult(let problem):
            "the query for tenant schemas \(problem)"
        case .invalidShard(let text):
            "'\(text)' is not a shard: write I/N, with N the number of shards and I from 0 to N-1 (0/4, 1/4, 2/4, 3/4)"
        case .robot(let error):
            error.description
        }
    }
}

extension FleetError.TargetLineProblem: CustomStringConvertible {
    private static let format = "write a postgres:// URL, optionally followed by schema=NAME (postgres://app@db:5432/app schema=tenant_1)"

    public var description: String {
        switch self {
        case .notAURL: "a target line starts with a postgres:// URL: \(Self.format); comments start with #"
        case .url(let error): "\(error.description)"
        case .unknownField(let name): "unknown field '\(name)': \(Self.format); connection parameters go into the URL (?sslmode=require)"
        case .notAField: "unexpected text after the URL: \(Self.format)"
        case .repeatedSchema: "schema= is given twice: a line is one target; write one line per schema"
        case .badSchemaName(let reason): "\(reason): write schema=NAME, or schema=\"NAME\" for a name with blanks (a quote inside doubled)"
        case .repeated(let first): "the same target as line \(first) (host, port, database and schema): list each target once"
        }
    }
}

extension FleetError.TenantQueryProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .columns(let count):
            "returned \(count) columns: return one, the schema name (SELECT nspname FROM …)"
        case .notAName(let row):
            "returned NULL or a value that is not text in row \(row): return schema names (cast with ::text, filter out NULLs)"
        case .invalidName(let name):
            "returned '\(name)', which cannot be a schema name: PostgreSQL's names have 1 to 63 bytes"
        case .repeated(let name):
            "returned the schema \"\(name)\" twice: each tenant once (SELECT DISTINCT)"
        case .reserved(let name):
            "returned \"\(name)\", a schema of PostgreSQL or of the robot's ledgers: leave it out (WHERE nspname NOT LIKE 'pg\\_%' AND …)"
        }
    }
}
