import MaintenanceRobot

// Missing schemas, extensions, relations, sequences and columns, and columns that differ.
extension RepairPlanner {
    mutating func createSchema(_ name: String) -> RepairOutcome {
        add(.schema, order: 0, repairs: "schema \(name)", "CREATE SCHEMA IF NOT EXISTS \(name);")
        return RepairOutcome(repairs: ["CREATE SCHEMA IF NOT EXISTS"])
    }

    mutating func createExtension(_ name: String) -> RepairOutcome {
        guard let found = expected.extensions[name] else { return .refused(Self.notWritten) }
        add(.extension, order: 0, repairs: "extension \(name)", "CREATE EXTENSION IF NOT EXISTS \(name) WITH SCHEMA \(found.schemaSQL);")
        return RepairOutcome(repairs: ["CREATE EXTENSION IF NOT EXISTS"])
    }

    mutating func createRelation(_ name: String) -> RepairOutcome {
        guard let relation = expected.relations[name] else { return .refused(Self.notWritten) }
        switch relation.kind {
        case "r" where !relation.isPartition:
            createTable(relation)
            return RepairOutcome(repairs: ["CREATE TABLE IF NOT EXISTS, with the fresh install's columns"])
        case "v":
            guard let query = relation.query else { return .refused(Self.notWritten) }
            add(.view, order: relation.order, repairs: "view \(name)", "CREATE OR REPLACE VIEW \(relation.sql) AS\n\(query);")
            return RepairOutcome(repairs: ["CREATE OR REPLACE VIEW"])
        case "m":
            guard let query = relation.query else { return .refused(Self.notWritten) }
            add(.view, order: relation.order, repairs: "materialized view \(name)", "CREATE MATERIALIZED VIEW IF NOT EXISTS \(relation.sql) AS\n\(query);")
            return RepairOutcome(repairs: ["CREATE MATERIALIZED VIEW IF NOT EXISTS"])
        default:
            return .refused(Self.notWritten)
        }
    }

    private mutating func createTable(_ relation: SchemaDetails.Relation) {
        let columns = expected.columns(of: relation.name).map { "    " + Self.definition(of: $0, notNull: $0.isNotNull) }
        let create = "CREATE \(relation.isUnlogged ? "UNLOGGED " : "")TABLE IF NOT EXISTS \(relation.sql) ("
        add(.table, order: relation.order, repairs: "table \(relation.name)", ([create, columns.joined(separator: ",\n"), ");"]).joined(separator: "\n"))
        if relation.hasRowSecurity {
            add(.rowSecurity, order: relation.order, repairs: "row security of \(relation.name)", "ALTER TABLE \(relation.sql) ENABLE ROW LEVEL SECURITY;")
        }
        if relation.forcesRowSecurity {
            add(.rowSecurity, order: relation.order, repairs: "forced row security of \(relation.name)", "ALTER TABLE \(relation.sql) FORCE ROW LEVEL SECURITY;")
        }
    }

    /// `priority text COLLATE "C" DEFAULT 'normal'::text NOT NULL`
    static func definition(of column: SchemaDetails.Column, notNull: Bool) -> String {
        var parts = [column.columnSQL, column.type]
        if let collation = column.collation { parts.append("COLLATE \(collation)") }
        if let generated = column.generatedExpression {
            parts.append("GENERATED ALWAYS AS (\(generated)) STORED")
        } else if let identity = column.identity {
            parts.append("GENERATED \(identity) AS IDENTITY")
        } else if let defaultExpression = column.defaultExpression {
            parts.append("DEFAULT \(defaultExpression)")
        }
        if notNull && column.identity == nil { parts.append("NOT NULL") }
        return parts.joined(separator: " ")
    }

    mutating func createSequence(_ name: String) -> RepairOutcome {
        guard let sequence = expected.relations[name], let options = sequence.sequenceOptions else { return .refused(Self.notWritten) }
        if sequence.sequenceOwnership == "i" { return RepairOutcome(repairs: ["created with its identity column"]) }
        add(.sequence, order: sequence.order, repairs: "sequence \(name)", "CREATE SEQUENCE IF NOT EXISTS \(sequence.sql) \(options);")
        var repairs = ["CREATE SEQUENCE IF NOT EXISTS"]
        if sequence.sequenceOwnership == "a", let column = sequence.ownerColumn {
            add(.sequenceOwnership, order: sequence.order, repairs: "sequence \(name), owned by its column", "ALTER SEQUENCE \(sequence.sql) OWNED BY \(column);")
            repairs.append("OWNED BY \(column)")
        }
        return RepairOutcome(repairs: repairs)
    }

    mutating func addColumn(_ name: String) -> RepairOutcome {
        guard let column = expected.columns[name] else { return .refused(Self.notWritten) }
        guard let table = live.relations[column.table] else {
            return RepairOutcome(repairs: ["created with \(column.table)"])
        }
        guard table.kind == "r" else { return .refused(Self.notWritten) }
        let suppression = "-- robot:allow column-definition-drift the fresh install's column, as PostgreSQL describes it"
        let notNullInline = column.isNotNull && column.fillsExistingRows
        add(.column, order: column.order, repairs: "column \(name)",
            "\(suppression)\nALTER TABLE \(column.tableSQL) ADD COLUMN IF NOT EXISTS \(Self.definition(of: column, notNull: notNullInline));")
        var outcome = RepairOutcome(repairs: ["ADD COLUMN IF NOT EXISTS"])
        if column.isNotNull && !column.fillsExistingRows {
            setNotNull(column, blockingRows: facts.rowCounts[column.table], newColumn: true, into: &outcome)
        }
        return outcome
    }

    /// A column that exists on both sides: a missing default and a missing NOT NULL are added; the rest is left.
    mutating func changeColumn(_ name: String) -> RepairOutcome {
        guard let wanted = expected.columns[name], let found = live.columns[name] else { return .refused(Self.differs) }
        var outcome = RepairOutcome()
        var summary: [String] = []
        var refusals: [String] = []
        if wanted.type != found.type {
            summary.append("type \(found.type)")
            refusals.append("its type differs: changing it rewrites the table and may fail or lose data, so write that step yourself")
        }
        if wanted.collation != found.collation || wanted.identity != found.identity || wanted.generatedExpression != found.generatedExpression {
            summary.append(Self.definition(of: found, notNull: found.isNotNull))
            refusals.append("its collation, identity or generated expression differs")
        }
        compareDefaults(wanted, found, summary: &summary, refusals: &refusals, outcome: &outcome)
        if wanted.isNotNull && !found.isNotNull {
            summary.append("nullable")
            setNotNull(wanted, blockingRows: facts.nullCounts[name], newColumn: false, into: &outcome)
        } else if !wanted.isNotNull && found.isNotNull {
            summary.append("NOT NULL")
            refusals.append("it is NOT NULL where the fresh install's is nullable; the constraint is not dropped")
        }
        outcome.liveSummary = summary.isEmpty ? nil : summary.joined(separator: ", ")
        outcome.notRepaired = [outcome.notRepaired, refusals.isEmpty ? nil : refusals.joined(separator: "; ")].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
        return outcome
    }

    /// A default the live column lacks is set (when the types agree); one it has otherwise is left.
    private mutating func compareDefaults(
        _ wanted: SchemaDetails.Column, _ found: SchemaDetails.Column, summary: inout [String], refusals: inout [String], outcome: inout RepairOutcome
    ) {
        switch (wanted.defaultExpression, found.defaultExpression) {
        case (let defaultExpression?, nil) where wanted.type == found.type:
            summary.append("no default")
            add(.columnDefault, order: wanted.order, repairs: "default of column \(wanted.name)",
                "ALTER TABLE \(wanted.tableSQL) ALTER COLUMN \(wanted.columnSQL) SET DEFAULT \(defaultExpression);")
            outcome.repairs.append("SET DEFAULT \(defaultExpression)")
        case (let wantedDefault, let foundDefault?) where wantedDefault != foundDefault:
            summary.append("DEFAULT \(foundDefault)")
            refusals.append(wantedDefault == nil ? "it has a default the fresh install does not have; it is not dropped" : "its default differs")
        default:
            break
        }
    }

    /// `SET NOT NULL` in a `DO` block that checks for NULLs first, when none were counted (or they could not be);
    /// otherwise only the reason, with the count.
    private mutating func setNotNull(_ column: SchemaDetails.Column, blockingRows: Int?, newColumn: Bool, into outcome: inout RepairOutcome) {
        if let blockingRows, blockingRows > 0 {
            let rows = blockingRows == 1 ? "1 row holds" : "\(blockingRows) rows hold"
            let holders = newColumn
                ? "the column comes without a default, so \(blockingRows == 1 ? "1 row" : "\(blockingRows) rows") will hold NULL in it"
                : "\(rows) NULL in it"
            outcome.notRepaired = "NOT NULL is not set: \(holders); fill them (UPDATE \(column.tableSQL) SET \(column.columnSQL) = … WHERE \(column.columnSQL) IS NULL), then run drift again"
            return
        }
        let table = RepairText.regclass(column.tableSQL)
        let body = [
            "IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(table) AND attname = \(RepairText.literal(column.column)) AND NOT attnotnull) THEN",
            "    IF EXISTS (SELECT 1 FROM \(column.tableSQL) WHERE \(column.columnSQL) IS NULL) THEN",
            "        RAISE WARNING '% stays nullable: rows hold NULL in it', \(RepairText.literal(column.name));",
            "    ELSE",
            "        ALTER TABLE \(column.tableSQL) ALTER COLUMN \(column.columnSQL) SET NOT NULL;",
            "    END IF;",
            "END IF;",
        ]
        let allow = "-- robot:allow set-not-null drift found no NULL in the column; the block sets it only while none is there\n"
        add(.notNull, order: column.order, repairs: "NOT NULL of column \(column.name)", allow + RepairText.doBlock(body))
        outcome.repairs.append(blockingRows == nil
            ? "SET NOT NULL, guarded by the absence of NULLs (not counted: the role may not read the table)"
            : "SET NOT NULL, guarded by the absence of NULLs (none now)")
    }

    /// Row security the fresh install enables and the live table does not; any other difference of the table is left.
    mutating func enableRowSecurity(_ name: String) -> RepairOutcome {
        guard let wanted = expected.relations[name], let found = live.relations[name], wanted.kind == found.kind,
              wanted.isUnlogged == found.isUnlogged, wanted.isPartition == found.isPartition,
              (wanted.hasRowSecurity && !found.hasRowSecurity) || (wanted.forcesRowSecurity && !found.forcesRowSecurity),
              wanted.hasRowSecurity || !found.hasRowSecurity, wanted.forcesRowSecurity || !found.forcesRowSecurity
        else { return .refused(Self.differs) }
        var outcome = RepairOutcome(liveSummary: found.hasRowSecurity ? "row security not forced" : "row security not enabled")
        if wanted.hasRowSecurity && !found.hasRowSecurity {
            add(.rowSecurity, order: wanted.order, repairs: "row security of \(name)", "ALTER TABLE \(wanted.sql) ENABLE ROW LEVEL SECURITY;")
            outcome.repairs.append("ENABLE ROW LEVEL SECURITY")
        }
        if wanted.forcesRowSecurity && !found.forcesRowSecurity {
            add(.rowSecurity, order: wanted.order, repairs: "forced row security of \(name)", "ALTER TABLE \(wanted.sql) FORCE ROW LEVEL SECURITY;")
            outcome.repairs.append("FORCE ROW LEVEL SECURITY")
        }
        return outcome
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
