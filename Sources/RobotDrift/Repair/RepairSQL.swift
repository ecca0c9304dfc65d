import Foundation
import MaintenanceRobot

/// The idempotent SQL that repairs a drift: statements for one step that runs in a transaction, indexes on tables
/// with many rows built `CONCURRENTLY` in no-transaction steps of their own (one statement each), and what is
/// left alone, with the reason. Nothing in it drops, rewrites or overwrites what exists.
///
/// ## Topics
/// - ``steps(named:)``, ``write(into:name:)``
/// - ``transactionalSQL``, ``concurrentIndexSQL``
public struct RepairSQL: Sendable, Hashable, Codable {
    /// One statement and the difference it repairs.
    public struct Statement: Sendable, Hashable, Codable {
        /// The difference, in short: `constraint tickets.tickets_owner_id_fkey`.
        public var repairs: String
        public var sql: String
    }

    /// The statements of the step that runs in a transaction, in the order they must run.
    public var statements: [Statement]
    /// `CREATE INDEX CONCURRENTLY IF NOT EXISTS …`, one no-transaction step each.
    public var concurrentIndexes: [Statement]
    /// What is not repaired, one line each: `column tickets.legacy: only in the live database; nothing is dropped`.
    public var notRepaired: [String]

    /// Whether there is nothing to write.
    public var isEmpty: Bool { statements.isEmpty && concurrentIndexes.isEmpty }

    /// The body of the transactional step (comments, then each statement under the difference it repairs), or `nil`
    /// when no statement runs in a transaction.
    public var transactionalSQL: String? {
        guard !statements.isEmpty else { return nil }
        let introduction = [
            "Repairs what `robot drift` found missing or unfinished in the live database, compared with a fresh install of the catalogue.",
            "Every statement is idempotent; the step changes nothing on a database that has it all.",
        ]
        return (Self.comments(introduction + notRepairedLines) + statements.map(Self.block)).joined(separator: "\n\n") + "\n"
    }

    /// The body of each concurrent index's step.
    public var concurrentIndexSQL: [String] {
        concurrentIndexes.enumerated().map { position, index in
            let introduction = [
                "Builds the \(index.repairs), which the live database lacks, without blocking writes to its table (it has many rows).",
                "Interrupted, CREATE INDEX CONCURRENTLY leaves an INVALID index that IF NOT EXISTS then skips: drop it",
                "(DROP INDEX CONCURRENTLY IF EXISTS …) and run the step again.",
            ]
            let others = statements.isEmpty && position == 0 ? notRepairedLines : []
            return (Self.comments(introduction + others) + [index.sql]).joined(separator: "\n\n") + "\n"
        }
    }

    private var notRepairedLines: [String] {
        guard !notRepaired.isEmpty else { return [] }
        return ["", "Not repaired (drift adds what is missing; it never drops, rewrites or overwrites what exists):"]
            + notRepaired.map { "  " + $0 }
    }

    /// `--` lines, the first one empty so the header's directives stand apart.
    private static func comments(_ lines: [String]) -> [String] {
        [(["--"] + lines.map { $0.isEmpty ? "--" : RepairText.comment($0) }).joined(separator: "\n")]
    }

    private static func block(_ statement: Statement) -> String {
        RepairText.comment(statement.repairs) + "\n" + statement.sql
    }

    /// The repair as steps to append to a catalogue declared in Swift: the transactional step named `name`, then one
    /// no-transaction step per concurrent index, named after it (`Repair drift, index x (v1.3 Update)`).
    public func steps(named name: String) -> [Step] {
        var steps: [Step] = []
        if let transactionalSQL { steps.append(Step(name, sql: transactionalSQL)) }
        for (index, sql) in zip(concurrentIndexes, concurrentIndexSQL) {
            steps.append(Step(Self.name(name, adding: index.repairs), transaction: false, sql: sql))
        }
        return steps
    }

    /// Appends the repair to the step directory `directory` as ``steps(named:)`` describes, numbered as `robot new`
    /// numbers; returns the files written.
    /// - Throws: ``CatalogueError`` when the directory's steps are broken or a file cannot be written.
    public func write(into directory: String, name: String) throws(CatalogueError) -> [String] {
        try steps(named: name).map { step throws(CatalogueError) in
            try StepFileTemplate(name: step.name, runsInTransaction: step.runsInTransaction, sql: step.sql).write(into: directory)
        }
    }

    /// `Repair drift, index tickets_created_idx (v1.3 Update)`: the addition before the version tag, when there is one.
    static func name(_ name: String, adding addition: String) -> String {
        let addition = addition.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard VersionTag(stepName: name) != nil, let open = name.lastIndex(of: "(") else { return "\(name), \(addition)" }
        let base = name[..<open].trimmingCharacters(in: .whitespaces)
        return "\(base), \(addition) \(name[open...])"
    }
}
