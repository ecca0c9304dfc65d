import MaintenanceRobot

// Each fact from one row of its ``DetailQueries`` query; `nil` for a row without a name.

extension SchemaDetails.Relation {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let sql = row.string("sql_name"), let kind = row.string("kind") else { return nil }
        self.init(
            name: name, sql: sql, kind: kind, isUnlogged: row.bool("unlogged") == true, isPartition: row.bool("is_partition") == true,
            hasRowSecurity: row.bool("row_security") == true, forcesRowSecurity: row.bool("forced_row_security") == true,
            query: row.string("query").map(Self.withoutFinalSemicolon), sequenceOptions: row.string("sequence_options"),
            sequenceOwnership: row.string("sequence_ownership"), ownerTable: row.string("owner_table"),
            ownerColumn: row.string("owner_column"), order: row.int("position") ?? 0
        )
    }

    /// `pg_get_viewdef` ends its query with `;`.
    private static func withoutFinalSemicolon(_ query: String) -> String {
        var trimmed = Substring(query)
        while let last = trimmed.last, last.isWhitespace || last == ";" { trimmed.removeLast() }
        return String(trimmed)
    }
}

extension SchemaDetails.Column {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let table = row.string("table_name"), let tableSQL = row.string("table_sql"),
              let column = row.string("column_name"), let columnSQL = row.string("column_sql"), let type = row.string("type")
        else { return nil }
        self.init(
            name: name, table: table, tableSQL: tableSQL, column: column, columnSQL: columnSQL, type: type,
            collation: row.string("collation"), isNotNull: row.bool("not_null") == true,
            defaultExpression: row.string("default_expression"), generatedExpression: row.string("generated_expression"),
            identity: row.string("identity"), order: row.int("position") ?? 0
        )
    }
}

extension SchemaDetails.Constraint {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let constraintName = row.string("constraint_name"),
              let constraintSQL = row.string("constraint_sql"), let type = row.string("type"), let definition = row.string("definition")
        else { return nil }
        self.init(
            name: name, table: row.string("table_name"), tableSQL: row.string("table_sql"), constraintName: constraintName,
            constraintSQL: constraintSQL, type: type, definition: definition, isValidated: row.bool("validated") != false,
            columns: stringArray(row.string("columns")), referencedTable: row.string("referenced_table"),
            referencedColumns: stringArray(row.string("referenced_columns")), order: row.int("position") ?? 0
        )
    }
}

extension SchemaDetails.Index {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let table = row.string("table_name"), let definition = row.string("definition") else { return nil }
        self.init(
            name: name, table: table, definition: definition, isValid: row.bool("valid") != false, isUnique: row.bool("is_unique") == true,
            isPrimary: row.bool("is_primary") == true, isPlain: row.bool("plain") == true, columns: stringArray(row.string("columns")),
            backsConstraint: row.bool("backs_constraint") == true, order: row.int("position") ?? 0
        )
    }
}

extension SchemaDetails.Function {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let kind = row.string("kind"), let language = row.string("language") else { return nil }
        self.init(name: name, kind: kind, language: language, definition: row.string("definition"), order: row.int("position") ?? 0)
    }
}

extension SchemaDetails.Trigger {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let table = row.string("table_name"), let tableSQL = row.string("table_sql"),
              let triggerName = row.string("trigger_name"), let definition = row.string("definition")
        else { return nil }
        self.init(name: name, table: table, tableSQL: tableSQL, triggerName: triggerName, definition: definition, order: row.int("position") ?? 0)
    }
}

extension SchemaDetails.EnumType {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let sql = row.string("sql_name"), let schemaName = row.string("schema_name"),
              let typeName = row.string("type_name")
        else { return nil }
        self.init(name: name, sql: sql, schemaName: schemaName, typeName: typeName, labels: stringArray(row.string("labels")),
                  order: row.int("position") ?? 0)
    }
}

extension SchemaDetails.Policy {
    init?(_ row: SessionRow) {
        guard let name = row.string("name"), let table = row.string("table_name"), let tableSQL = row.string("table_sql"),
              let policyName = row.string("policy_name"), let policySQL = row.string("policy_sql"), let command = row.string("command")
        else { return nil }
        self.init(
            name: name, table: table, tableSQL: tableSQL, policyName: policyName, policySQL: policySQL,
            isPermissive: row.bool("permissive") != false, command: command, roles: row.string("roles") ?? "PUBLIC",
            usingExpression: row.string("using_expression"), checkExpression: row.string("check_expression"), order: row.int("position") ?? 0
        )
    }
}
