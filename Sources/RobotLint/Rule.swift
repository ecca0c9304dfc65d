/// How bad a finding is: an error makes `robot lint` fail, a warning only when `--warnings-as-errors`.
public enum Severity: String, Sendable, Hashable, Codable {
    case warning
    case error
}

/// Every check `robot lint` makes, with its stable id (used in output and in `-- robot:allow` comments),
/// its severity and the idempotent form to write instead. docs/lint-rules.md shows each with examples.
public enum Rule: String, CaseIterable, Sendable, Hashable, Codable {
    // Errors: the step is not idempotent.
    case createWithoutIfNotExists = "create-without-if-not-exists"
    case createWithoutOrReplace = "create-without-or-replace"
    case createWithoutGuard = "create-without-guard"
    case addConstraintWithoutGuard = "add-constraint-without-guard"
    case insertWithoutOnConflict = "insert-without-on-conflict"
    case addColumnWithoutIfNotExists = "add-column-without-if-not-exists"
    case dropWithoutIfExists = "drop-without-if-exists"
    case renameWithoutGuard = "rename-without-guard"
    case addValueWithoutIfNotExists = "add-value-without-if-not-exists"
    case transactionControl = "transaction-control"
    case notAllowedInTransaction = "not-allowed-in-transaction"
    case lexingError = "lexing-error"
    case columnDefinitionDrift = "column-definition-drift"
    case appliedStepEdited = "applied-step-edited"
    case appliedStepRemoved = "applied-step-removed"
    case appliedStepReordered = "applied-step-reordered"
    // Warnings: idempotent, but dangerous on every boot.
    case dropTable = "drop-table"
    case dropColumn = "drop-column"
    case truncate = "truncate"
    case deleteWithoutWhere = "delete-without-where"
    case updateWithoutWhere = "update-without-where"
    case upsertOverwrites = "upsert-overwrites"
    case exceptionWhenOthers = "exception-when-others"
    case notNullWithoutDefault = "not-null-without-default"
    case lockTimeoutDisabled = "lock-timeout-disabled"
    case sessionSetting = "session-setting"
    case missingVersionTag = "missing-version-tag"
    case allowWithoutReason = "allow-without-reason"
    case allowUnknownRule = "allow-unknown-rule"
    // Warnings: the statement blocks traffic on a table that is already there (a live table).
    case indexWithoutConcurrently = "index-without-concurrently"
    case constraintWithoutNotValid = "constraint-without-not-valid"
    case setNotNull = "set-not-null"
    case alterColumnType = "alter-column-type"
    case volatileDefault = "volatile-default"
    case cluster = "cluster"
    case vacuumFull = "vacuum-full"
    case reindexWithoutConcurrently = "reindex-without-concurrently"
    case lockTable = "lock-table"
    case concurrentlyIfNotExists = "concurrently-if-not-exists"

    /// The stable id: `create-without-if-not-exists`.
    public var id: String { rawValue }

    /// Errors break the second run (or the history); warnings are idempotent but dangerous.
    public var severity: Severity {
        switch self {
        case .dropTable, .dropColumn, .truncate, .deleteWithoutWhere, .updateWithoutWhere, .upsertOverwrites,
             .exceptionWhenOthers, .notNullWithoutDefault, .lockTimeoutDisabled, .sessionSetting, .missingVersionTag,
             .allowWithoutReason, .allowUnknownRule, .indexWithoutConcurrently, .constraintWithoutNotValid, .setNotNull,
             .alterColumnType, .volatileDefault, .cluster, .vacuumFull, .reindexWithoutConcurrently, .lockTable,
             .concurrentlyIfNotExists:
            .warning
        default:
            .error
        }
    }

    /// Whether the rule's findings name the lock PostgreSQL takes on a live table (``Diagnostic/lock``).
    public var namesALock: Bool {
        switch self {
        case .indexWithoutConcurrently, .constraintWithoutNotValid, .setNotNull, .alterColumnType, .volatileDefault, .cluster,
             .vacuumFull, .reindexWithoutConcurrently, .lockTable:
            true
        default:
            false
        }
    }

    /// One line saying what the rule finds.
    public var summary: String {
        switch self {
        case .createWithoutIfNotExists: "CREATE of a table, index, sequence, schema, extension or materialized view without IF NOT EXISTS"
        case .createWithoutOrReplace: "CREATE of a view, function, procedure or trigger without OR REPLACE or a preceding DROP … IF EXISTS"
        case .createWithoutGuard: "CREATE TYPE, DOMAIN, POLICY or ROLE without a guard"
        case .addConstraintWithoutGuard: "ALTER TABLE … ADD CONSTRAINT (or PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY) without a guard"
        case .insertWithoutOnConflict: "INSERT without ON CONFLICT or a NOT EXISTS guard"
        case .addColumnWithoutIfNotExists: "ALTER TABLE … ADD COLUMN without IF NOT EXISTS or a guard"
        case .dropWithoutIfExists: "DROP without IF EXISTS"
        case .renameWithoutGuard: "RENAME without a guard"
        case .addValueWithoutIfNotExists: "ALTER TYPE … ADD VALUE without IF NOT EXISTS"
        case .transactionControl: "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT) inside a step"
        case .notAllowedInTransaction: "a statement PostgreSQL refuses inside a transaction block, in a transactional step or a DO block"
        case .lexingError: "SQL the lexer cannot read: an unterminated string, identifier, comment or dollar quote"
        case .columnDefinitionDrift: "a column a CREATE TABLE declares and a later guarded ADD COLUMN declares differently"
        case .appliedStepEdited: "an applied step (in the lock file) was edited"
        case .appliedStepRemoved: "an applied step (in the lock file) was removed"
        case .appliedStepReordered: "an applied step (in the lock file) moved to another position"
        case .dropTable: "DROP TABLE in a step: customer data is deleted wherever the step runs"
        case .dropColumn: "ALTER TABLE … DROP COLUMN in a step: customer data is deleted wherever the step runs"
        case .truncate: "TRUNCATE in a step: the table is emptied wherever the step runs"
        case .deleteWithoutWhere: "DELETE without WHERE: every row is deleted wherever the step runs"
        case .updateWithoutWhere: "UPDATE without WHERE: every row is reset, overwriting what admins changed"
        case .upsertOverwrites: "INSERT … ON CONFLICT DO UPDATE re-asserts rows, overwriting what admins changed"
        case .exceptionWhenOthers: "EXCEPTION WHEN OTHERS that does not re-raise swallows every error"
        case .notNullWithoutDefault: "ADD COLUMN … NOT NULL without DEFAULT fails on every database whose table has rows"
        case .lockTimeoutDisabled: "a lock-heavy change after the step disabled lock_timeout"
        case .sessionSetting: "SET, RESET or set_config(…, false) in a transactional step: a setting meant to hold beyond the step"
        case .missingVersionTag: "a step without a version tag such as (v1.2 Update) while others have one"
        case .allowWithoutReason: "a robot:allow suppression without a reason"
        case .allowUnknownRule: "a robot:allow suppression naming no known rule"
        case .indexWithoutConcurrently: "CREATE INDEX without CONCURRENTLY on a table that is already there: writes wait for the whole build"
        case .constraintWithoutNotValid: "ADD FOREIGN KEY or CHECK without NOT VALID on a table that is already there: every row is checked under a lock that blocks writes"
        case .setNotNull: "SET NOT NULL on a table that is already there: every row is checked under ACCESS EXCLUSIVE"
        case .alterColumnType: "ALTER COLUMN … TYPE on a table that is already there: ACCESS EXCLUSIVE while the table is rewritten"
        case .volatileDefault: "ADD COLUMN with a volatile default (clock_timestamp(), random(), gen_random_uuid(), a serial or identity column) on a table that is already there: ACCESS EXCLUSIVE while every row is rewritten"
        case .cluster: "CLUSTER in a step: ACCESS EXCLUSIVE while the table is rewritten"
        case .vacuumFull: "VACUUM FULL in a step: ACCESS EXCLUSIVE while the table is rewritten"
        case .reindexWithoutConcurrently: "REINDEX without CONCURRENTLY in a step: writes wait, and reads that use the indexes too, while they are rebuilt"
        case .lockTable: "LOCK TABLE in a step: traffic waits for the mode it names until the step commits"
        case .concurrentlyIfNotExists: "CREATE INDEX CONCURRENTLY IF NOT EXISTS in a step that also does other things: not idempotent after a crash"
        }
    }

    /// The idempotent form to write instead.
    public var hint: String {
        switch self {
        case .createWithoutIfNotExists: "write CREATE TABLE IF NOT EXISTS … (likewise INDEX, SEQUENCE, SCHEMA, EXTENSION, MATERIALIZED VIEW); give every index a name"
        case .createWithoutOrReplace: "write CREATE OR REPLACE VIEW|FUNCTION|PROCEDURE|TRIGGER …, or DROP … IF EXISTS first in the same step"
        case .createWithoutGuard: "wrap it: DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_type WHERE typname = '…') THEN CREATE TYPE …; END IF; END $$; or catch duplicate_object (DROP POLICY IF EXISTS … first works for policies)"
        case .addConstraintWithoutGuard: "wrap it: DO $$ BEGIN ALTER TABLE … ADD CONSTRAINT …; EXCEPTION WHEN duplicate_object THEN NULL; END $$; (name every constraint)"
        case .insertWithoutOnConflict: "write INSERT … ON CONFLICT (key) DO NOTHING, or INSERT … SELECT … WHERE NOT EXISTS (SELECT 1 FROM … WHERE key = …)"
        case .addColumnWithoutIfNotExists: "write ALTER TABLE … ADD COLUMN IF NOT EXISTS …"
        case .dropWithoutIfExists: "write DROP … IF EXISTS … (ALTER TABLE … DROP COLUMN IF EXISTS …, DROP CONSTRAINT IF EXISTS …)"
        case .renameWithoutGuard: "wrap it: DO $$ BEGIN IF EXISTS (SELECT FROM information_schema.columns WHERE table_name = '…' AND column_name = 'old') THEN ALTER TABLE … RENAME …; END IF; END $$;"
        case .addValueWithoutIfNotExists: "write ALTER TYPE … ADD VALUE IF NOT EXISTS '…'"
        case .transactionControl: "remove it: the robot runs each step in its own transaction (mark a step -- robot:no-transaction to run it without one)"
        case .notAllowedInTransaction: "put the statement alone in a step marked -- robot:no-transaction (and keep it out of DO blocks)"
        case .lexingError: "close the string, identifier, comment or dollar quote where the message says"
        case .columnDefinitionDrift: "declare the column the same way in both places, so fresh and upgraded databases end up alike"
        case .appliedStepEdited: "restore the step and append a new step with the change (history is append-only)"
        case .appliedStepRemoved: "restore the step; to undo it, append a new step"
        case .appliedStepReordered: "restore the order; append new steps at the end"
        case .dropTable: "make sure the table holds no data worth keeping, then suppress with -- robot:allow drop-table <reason>"
        case .dropColumn: "make sure the column holds no data worth keeping, then suppress with -- robot:allow drop-column <reason>"
        case .truncate: "delete only what the step must remove (DELETE … WHERE …), or suppress with -- robot:allow truncate <reason>"
        case .deleteWithoutWhere: "add a WHERE clause naming the rows the step must remove"
        case .updateWithoutWhere: "add a WHERE clause that only touches rows still in their old state (WHERE column IS NULL …)"
        case .upsertOverwrites: "write ON CONFLICT … DO NOTHING, so rows admins changed keep their values"
        case .exceptionWhenOthers: "catch the specific condition (duplicate_object, duplicate_column, unique_violation …) or RAISE again after the notice"
        case .notNullWithoutDefault: "write ADD COLUMN IF NOT EXISTS … NOT NULL DEFAULT …, or add it nullable, fill it, then SET NOT NULL"
        case .lockTimeoutDisabled: "remove the SET lock_timeout = 0 / RESET lock_timeout: the runner sets lock_timeout for every step and retries on timeout"
        case .sessionSetting: "write SET LOCAL … (or set_config(…, true)): it holds until the step commits, as the robot does anyway by restoring its session after the step"
        case .missingVersionTag: "end the step's name with its release: \"Add owner email (v1.2 Update)\""
        case .allowWithoutReason: "say why: -- robot:allow <rule-id> <reason>"
        case .allowUnknownRule: "name a rule id from docs/lint-rules.md: -- robot:allow <rule-id> <reason>"
        case .indexWithoutConcurrently: "write CREATE INDEX CONCURRENTLY IF NOT EXISTS … alone in a step marked -- robot:no-transaction: it builds without blocking writes, and the robot rebuilds a build that was interrupted"
        case .constraintWithoutNotValid: "add it with ADD CONSTRAINT … NOT VALID (which checks new rows only, with a brief lock), then ALTER TABLE … VALIDATE CONSTRAINT … in a later step (which checks the old rows without blocking writes)"
        case .setNotNull: "first ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later step, then SET NOT NULL: PostgreSQL trusts the validated CHECK and skips the scan"
        case .alterColumnType: "add a new column of the new type, backfill it in batches in later steps, switch the code to it, then drop the old column"
        case .volatileDefault: "add the column with a constant default (or none): that needs no rewrite; backfill the old rows in batches in later steps, then ALTER COLUMN … SET DEFAULT … for new rows"
        case .cluster: "leave CLUSTER out of the steps; rebuild the table outside a deploy with a tool that holds the strong lock only briefly (pg_repack)"
        case .vacuumFull: "leave VACUUM FULL out of the steps: plain VACUUM (autovacuum) takes no lock that blocks traffic; rebuild the table outside a deploy (pg_repack)"
        case .reindexWithoutConcurrently: "write REINDEX … CONCURRENTLY alone in a step marked -- robot:no-transaction"
        case .lockTable: "remove it: each statement takes the lock it needs; if the step must lock a table, keep the step short and lock_timeout on"
        case .concurrentlyIfNotExists: "put the CREATE INDEX CONCURRENTLY IF NOT EXISTS alone in its own -- robot:no-transaction step (SET statements may stay), and the rest in a step of its own"
        }
    }
}
