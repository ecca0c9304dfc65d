import MaintenanceRobot

// Missing constraints, indexes, functions, triggers, enum types and policies; constraints left NOT VALID; enum labels.
extension RepairPlanner {
    /// A guarded `ADD CONSTRAINT`; a foreign key or check is added `NOT VALID` and then validated, so rows that break
    /// it leave the constraint in place for new rows (with a warning) instead of failing the step.
    mutating func addConstraint(_ name: String) -> RepairOutcome {
        guard let constraint = expected.constraints[name], let tableSQL = constraint.tableSQL,
              let phase = Self.phase(ofConstraintType: constraint.type)
        else { return .refused(Self.notWritten) }
        let canWaitForValidation = constraint.type == "f" || constraint.type == "c"
        let addition = "ALTER TABLE \(tableSQL) ADD CONSTRAINT \(constraint.constraintSQL) \(constraint.definition)\(canWaitForValidation && !constraint.definition.hasSuffix("NOT VALID") ? " NOT VALID" : "");"
        var body = RepairText.ifMissing("pg_constraint", "conrelid = \(RepairText.regclass(tableSQL)) AND conname = \(RepairText.literal(constraint.constraintName))", [addition])
        var repairs = ["ADD CONSTRAINT, guarded by its absence"]
        if canWaitForValidation && constraint.isValidated {
            body += Self.validation(constraint, tableSQL: tableSQL)
            repairs = ["ADD CONSTRAINT … NOT VALID, guarded by its absence, then VALIDATE CONSTRAINT"]
        }
        add(phase, order: constraint.order, repairs: "constraint \(name)", RepairText.doBlock(body))
        return RepairOutcome(repairs: repairs)
    }

    /// A constraint the live database has `NOT VALID` where the fresh install's is validated.
    mutating func validateConstraint(_ name: String) -> RepairOutcome {
        guard let wanted = expected.constraints[name], let found = live.constraints[name], let tableSQL = wanted.tableSQL,
              wanted.definition == found.definition, wanted.isValidated, !found.isValidated
        else { return .refused(Self.differs) }
        add(.foreignKey, order: wanted.order, repairs: "validation of constraint \(name)", RepairText.doBlock(Self.validation(wanted, tableSQL: tableSQL)))
        return RepairOutcome(repairs: ["VALIDATE CONSTRAINT"], liveSummary: "not validated")
    }

    private static func phase(ofConstraintType type: String) -> RepairPhase? {
        switch type {
        case "p", "u", "x": .keyConstraint
        case "c": .checkConstraint
        case "f": .foreignKey
        default: nil
        }
    }

    /// `VALIDATE CONSTRAINT` in a block of its own: rows that break the constraint leave it `NOT VALID` with a warning.
    private static func validation(_ constraint: SchemaDetails.Constraint, tableSQL: String) -> [String] {
        [
            "BEGIN",
            "    ALTER TABLE \(tableSQL) VALIDATE CONSTRAINT \(constraint.constraintSQL);",
            "EXCEPTION WHEN foreign_key_violation OR check_violation THEN",
            "    RAISE WARNING 'constraint % stays NOT VALID: %', \(RepairText.literal(constraint.name)), SQLERRM;",
            "END;",
        ]
    }

    /// `CREATE INDEX IF NOT EXISTS` in the transaction, or — on a live table with many rows — `CONCURRENTLY` in a
    /// step of its own. An index that a constraint owns comes with the constraint.
    mutating func createIndex(_ name: String) -> RepairOutcome {
        guard let index = expected.indexes[name] else { return .refused(Self.notWritten) }
        if index.backsConstraint { return RepairOutcome(repairs: ["created by its constraint"]) }
        guard let range = index.definition.range(of: " INDEX ") else { return .refused(Self.notWritten) }
        let tableExists = live.relations[index.table] != nil
        let isLarge = tableExists && facts.hasManyRows[index.table] != false
        if isLarge && !seedKeyIndexes.contains(name) {
            addConcurrentIndex(order: index.order, repairs: "index \(name)", index.definition.replacingCharacters(in: range, with: " INDEX CONCURRENTLY IF NOT EXISTS ") + ";")
            let why = facts.hasManyRows[index.table] == nil ? "its rows could not be counted" : "it has many rows"
            return RepairOutcome(repairs: ["CREATE INDEX CONCURRENTLY IF NOT EXISTS, in a no-transaction step of its own (\(why))"])
        }
        // On a table with few rows (or a new one) the build's SHARE lock is short: said to lint, with the reason.
        let allow = tableExists ? "-- robot:allow index-without-concurrently drift found few rows in the table, so the build is short\n" : ""
        add(.index, order: index.order, repairs: "index \(name)", allow + index.definition.replacingCharacters(in: range, with: " INDEX IF NOT EXISTS ") + ";")
        return RepairOutcome(repairs: ["CREATE INDEX IF NOT EXISTS"])
    }

    mutating func createFunction(_ name: String) -> RepairOutcome {
        guard let function = expected.functions[name], var definition = function.definition else { return .refused(Self.notWritten) }
        while definition.last?.isWhitespace == true { definition.removeLast() }
        add(.function, order: function.order, repairs: "\(function.kind) \(name)", definition + ";")
        return RepairOutcome(repairs: ["CREATE OR REPLACE \(function.kind.uppercased())"])
    }

    mutating func createTrigger(_ name: String) -> RepairOutcome {
        guard let trigger = expected.triggers[name] else { return .refused(Self.notWritten) }
        let condition = "tgrelid = \(RepairText.regclass(trigger.tableSQL)) AND tgname = \(RepairText.literal(trigger.triggerName))"
        add(.trigger, order: trigger.order, repairs: "trigger \(name)", RepairText.doBlock(RepairText.ifMissing("pg_trigger", condition, [trigger.definition + ";"])))
        return RepairOutcome(repairs: ["CREATE TRIGGER, guarded by its absence"])
    }

    mutating func createEnum(_ name: String) -> RepairOutcome {
        guard let type = expected.enums[name] else { return .refused(Self.notWritten) }
        let condition = "typname = \(RepairText.literal(type.typeName)) AND typnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = \(RepairText.literal(type.schemaName)))"
        let create = "CREATE TYPE \(type.sql) AS ENUM (\(type.labels.map { RepairText.literal($0) }.joined(separator: ", ")));"
        add(.type, order: type.order, repairs: "enum \(name)", RepairText.doBlock(RepairText.ifMissing("pg_type", condition, [create])))
        return RepairOutcome(repairs: ["CREATE TYPE … AS ENUM, guarded by its absence"])
    }

    /// Labels the live enum lacks, each placed after the label it follows; only when the live labels keep the fresh install's order.
    mutating func addEnumLabels(_ name: String) -> RepairOutcome {
        guard let wanted = expected.enums[name], let found = live.enums[name],
              Set(found.labels).isSubset(of: wanted.labels), wanted.labels.filter(Set(found.labels).contains) == found.labels
        else { return .refused(Self.differs) }
        let missing = wanted.labels.enumerated().filter { !found.labels.contains($0.element) }
        for (position, label) in missing {
            // Labels are added in order, so the one before is there by now; the first goes before the first live one.
            let placement = position > 0 ? " AFTER \(RepairText.literal(wanted.labels[position - 1]))"
                : found.labels.first.map { " BEFORE \(RepairText.literal($0))" } ?? ""
            add(.type, order: wanted.order, repairs: "label \(label) of enum \(name)",
                "ALTER TYPE \(wanted.sql) ADD VALUE IF NOT EXISTS \(RepairText.literal(label))\(placement);")
        }
        return RepairOutcome(repairs: ["ADD VALUE IF NOT EXISTS " + missing.map { RepairText.literal($0.element) }.joined(separator: ", ")])
    }

    mutating func createPolicy(_ name: String) -> RepairOutcome {
        guard let policy = expected.policies[name] else { return .refused(Self.notWritten) }
        var create = "CREATE POLICY \(policy.policySQL) ON \(policy.tableSQL) AS \(policy.isPermissive ? "PERMISSIVE" : "RESTRICTIVE") FOR \(policy.command) TO \(policy.roles)"
        if let using = policy.usingExpression { create += " USING (\(using))" }
        if let check = policy.checkExpression { create += " WITH CHECK (\(check))" }
        let condition = "polrelid = \(RepairText.regclass(policy.tableSQL)) AND polname = \(RepairText.literal(policy.policyName))"
        add(.policy, order: policy.order, repairs: "policy \(name)", RepairText.doBlock(RepairText.ifMissing("pg_policy", condition, [create + ";"])))
        return RepairOutcome(repairs: ["CREATE POLICY, guarded by its absence"])
    }
}
