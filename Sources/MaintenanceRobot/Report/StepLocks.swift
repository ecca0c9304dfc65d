/// A table-level lock mode of PostgreSQL, as `pg_locks` names it, ordered from weakest to strongest.
///
/// Which statements take which mode, and which modes conflict: PostgreSQL's documentation, "Explicit Locking",
/// table 13.2. From ``share`` on, a mode blocks writes (`INSERT`, `UPDATE`, `DELETE` take ``rowExclusive``);
/// ``accessExclusive`` blocks reads too.
public enum LockMode: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case accessShare = "AccessShareLock"
    case rowShare = "RowShareLock"
    case rowExclusive = "RowExclusiveLock"
    case shareUpdateExclusive = "ShareUpdateExclusiveLock"
    case share = "ShareLock"
    case shareRowExclusive = "ShareRowExclusiveLock"
    case exclusive = "ExclusiveLock"
    case accessExclusive = "AccessExclusiveLock"

    /// The mode as SQL writes it (`LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE`): `SHARE ROW EXCLUSIVE`.
    public var sqlName: String {
        switch self {
        case .accessShare: "ACCESS SHARE"
        case .rowShare: "ROW SHARE"
        case .rowExclusive: "ROW EXCLUSIVE"
        case .shareUpdateExclusive: "SHARE UPDATE EXCLUSIVE"
        case .share: "SHARE"
        case .shareRowExclusive: "SHARE ROW EXCLUSIVE"
        case .exclusive: "EXCLUSIVE"
        case .accessExclusive: "ACCESS EXCLUSIVE"
        }
    }

    /// The mode a `LOCK TABLE … IN <words> MODE` clause names (`SHARE ROW EXCLUSIVE`), if any.
    public init?(sqlName: String) {
        guard let mode = Self.allCases.first(where: { $0.sqlName == sqlName.uppercased() }) else { return nil }
        self = mode
    }

    /// Whether the mode makes `INSERT`, `UPDATE` and `DELETE` on the relation wait: SHARE or stronger.
    public var blocksWrites: Bool { self >= .share }

    /// What waits behind the mode on a live table, in words.
    public var blocks: String {
        switch self {
        case .accessExclusive: "every query on it, reads included, waits"
        case .exclusive: "writes and SELECT … FOR UPDATE on it wait; plain reads go on"
        case .share, .shareRowExclusive: "INSERT, UPDATE and DELETE on it wait; reads go on"
        case .shareUpdateExclusive: "reads and writes go on; other schema changes and VACUUM wait"
        case .rowExclusive, .rowShare, .accessShare: "reads and writes go on"
        }
    }

    private var strength: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: LockMode, rhs: LockMode) -> Bool { lhs.strength < rhs.strength }
}

/// What kind of relation a lock was on, as `pg_class.relkind` says.
public enum RelationKind: String, Sendable, Hashable, Codable {
    case table
    case partitionedTable = "partitioned table"
    case index
    case partitionedIndex = "partitioned index"
    case sequence
    case view
    case materializedView = "materialized view"
    case foreignTable = "foreign table"
    case compositeType = "composite type"
    case toastTable = "TOAST table"
    case other

    /// The kind of a `pg_class.relkind` letter.
    init(relkind: String) {
        self = switch relkind {
        case "r": .table
        case "p": .partitionedTable
        case "i": .index
        case "I": .partitionedIndex
        case "S": .sequence
        case "v": .view
        case "m": .materializedView
        case "f": .foreignTable
        case "c": .compositeType
        case "t": .toastTable
        default: .other
        }
    }
}

/// One relation a step held locks on, as the step's own backend saw it just before the step committed.
public struct LockedRelation: Sendable, Hashable, Codable {
    public var schema: String
    public var relation: String
    public var kind: RelationKind
    /// The modes held, strongest first; empty when the step ran without a transaction (see ``StepLocks/unobserved``).
    public var modes: [LockMode]
    /// Whether the relation was there before the step (otherwise the step created it).
    public var existedBefore: Bool
    /// PostgreSQL's estimate of its rows (`pg_class.reltuples`); `nil` when it has never counted them.
    public var rows: Int?
    /// Whether it held rows: PostgreSQL's count says so or, for a table it never counted, its data file has pages at
    /// the end of the step. Sequences and views hold none.
    public var hasRows: Bool
    /// Whether the step rewrote it: its data file changed (`relfilenode`), as a table rewrite or a
    /// `REINDEX` does.
    public var rewritten: Bool
    /// The 1-based statement of the step that first held ``strongestMode``, when the run traced each statement
    /// (`robot verify --with-data`).
    public var statement: Int?
    /// How long ``strongestMode`` was held, in milliseconds, from the start of ``statement`` until the step
    /// committed; measured when the run traced each statement.
    public var heldMilliseconds: Int?

    /// The strongest mode held; `nil` when none was observed.
    public var strongestMode: LockMode? { modes.max() }

    /// `public.tenants` (the schema always written out).
    public var qualifiedName: String { "\(schema).\(relation)" }

    /// Whether traffic on a live database would have met the relation: it was there before the step and held rows.
    public var wasPopulated: Bool { existedBefore && hasRows }
}

/// The relation locks one step took, written with its ledger row and carried in its ``StepOutcome``.
///
/// A step in a transaction reads, just before it commits, the relation locks its own backend holds
/// (`pg_locks` joined to `pg_class`) and which relations it created or rewrote. A step without a transaction
/// commits each statement on its own, which releases its locks before the robot could read them: then only
/// the relations it rewrote are known, and ``unobserved`` says why the rest is missing.
public struct StepLocks: Sendable, Hashable, Codable {
    /// Every relation the step held a lock on (the robot's own ledger left out), by schema and name.
    public var relations: [LockedRelation]
    /// Why the step's locks could not be read, when they could not; `nil` when every lock was observed.
    public var unobserved: String?

    public init(relations: [LockedRelation], unobserved: String? = nil) {
        self.relations = relations
        self.unobserved = unobserved
    }

    /// The relation that was there before the step, held rows, and was locked hardest: what traffic on a live
    /// database would have met. Rewritten relations come first among equals.
    public var strongestOnPopulated: LockedRelation? {
        relations.filter(\.wasPopulated).max { lhs, rhs in
            (lhs.strongestMode ?? .accessShare, lhs.rewritten ? 1 : 0) < (rhs.strongestMode ?? .accessShare, rhs.rewritten ? 1 : 0)
        }
    }

    /// Whether live traffic would have waited on the step: SHARE or stronger on a relation that was there and held
    /// rows, or such a relation rewritten.
    public var blocksTraffic: Bool {
        relations.contains { $0.wasPopulated && ($0.rewritten || $0.strongestMode?.blocksWrites == true) }
    }
}
