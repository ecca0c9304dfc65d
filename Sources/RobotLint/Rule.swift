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

    /// The stable id: `create-without-if-not-exists`.
    public var id: String { rawValue }

    /// Errors break the second run (or the history); warnings are idempotent but dangerous.
    public var severity: Severity {
        switch self {
        case .dropTable, .dropColumn, .truncate, .deleteWithoutWhere, .updateWithoutWhere, .upsertOverwrites,
             .exceptionWhenOthers, .notNullWithoutDefault, .lockTimeoutDisabled, .sessionSetting, .missingVersionTag,
             .allowWithoutReason, .allowUnknownRule:
            .warning
        default:
            .error
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
        }
    }
}
