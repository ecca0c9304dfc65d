import RobotVerify

/// The pg_catalog queries behind ``SchemaDetails``. Each `name` is built exactly as the fingerprint builds it, so a
/// difference finds its object; every name meant for SQL is quoted by the server (`quote_ident`).
struct DetailQueries {
    let filter: SchemaFilter

    private func qualified(_ namespace: String, _ object: String) -> String {
        FingerprintQueries.qualified(namespace, object)
    }

    private func sql(_ namespace: String, _ object: String) -> String {
        "quote_ident(\(namespace).nspname) || '.' || quote_ident(\(object))"
    }

    var relations: String {
        let owner = "pg_depend d JOIN pg_class oc ON oc.oid = d.refobjid JOIN pg_namespace onn ON onn.oid = oc.relnamespace"
            + " JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid"
            + " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
        return """
            SELECT \(qualified("n", "c.relname")) AS name, \(sql("n", "c.relname")) AS sql_name, c.relkind::text AS kind,
                   c.relpersistence = 'u' AS unlogged, c.relispartition AS is_partition,
                   c.relrowsecurity AS row_security, c.relforcerowsecurity AS forced_row_security,
                   CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS query,
                   (SELECT format('AS %s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s',
                        format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
                        CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END) FROM pg_sequence s WHERE s.seqrelid = c.oid) AS sequence_options,
                   (SELECT d.deptype::text FROM \(owner) LIMIT 1) AS sequence_ownership,
                   (SELECT \(qualified("onn", "oc.relname")) FROM \(owner) LIMIT 1) AS owner_table,
                   (SELECT \(sql("onn", "oc.relname")) || '.' || quote_ident(oa.attname) FROM \(owner) LIMIT 1) AS owner_column,
                   c.oid::int8 AS position
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND \(filter.covers("n"))
              AND \(filter.notFromExtension("c.oid", catalog: "pg_class"))
            """
    }

    var columns: String {
        """
        SELECT \(qualified("n", "c.relname")) || '.' || quote_ident(a.attname) AS name, \(qualified("n", "c.relname")) AS table_name,
               \(sql("n", "c.relname")) AS table_sql, a.attname AS column_name, quote_ident(a.attname) AS column_sql,
               format_type(a.atttypid, a.atttypmod) AS type,
               CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                    THEN (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation) END AS collation,
               a.attnotnull AS not_null,
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expression,
               CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated_expression,
               CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END AS identity,
               a.attnum::int8 AS position
        \(FingerprintQueries.columnSource(filter))
        """
    }

    var constraints: String {
        """
        SELECT coalesce(\(qualified("n", "c.relname")), \(qualified("tn", "t.typname"))) || '.' || quote_ident(con.conname) AS name,
               \(qualified("n", "c.relname")) AS table_name, \(sql("n", "c.relname")) AS table_sql,
               con.conname AS constraint_name, quote_ident(con.conname) AS constraint_sql, con.contype::text AS type,
               pg_get_constraintdef(con.oid) AS definition, con.convalidated AS validated,
               (SELECT json_agg(a.attname ORDER BY k.i)::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, i)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
               (SELECT \(qualified("fn", "fc.relname")) FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE fc.oid = con.confrelid) AS referenced_table,
               (SELECT json_agg(a.attname ORDER BY k.i)::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, i)
                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS referenced_columns,
               con.oid::int8 AS position
        FROM pg_constraint con
        LEFT JOIN pg_class c ON c.oid = con.conrelid LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_type t ON t.oid = con.contypid LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
        JOIN pg_namespace cn ON cn.oid = con.connamespace
        WHERE \(filter.covers("cn")) AND con.conparentid = 0
        """
    }

    var indexes: String {
        """
        SELECT \(qualified("n", "ic.relname")) AS name, \(qualified("tn", "tc.relname")) AS table_name,
               pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid, i.indisunique AS is_unique,
               i.indisprimary AS is_primary, (i.indexprs IS NULL AND i.indpred IS NULL) AS plain,
               (SELECT json_agg(a.attname ORDER BY k.i)::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, i)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.i <= i.indnkeyatts) AS columns,
               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                       AND con.contype IN ('p', 'u', 'x')) AS backs_constraint,
               i.indexrelid::int8 AS position
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
        JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
        WHERE \(filter.covers("n")) AND \(filter.notFromExtension("i.indrelid", catalog: "pg_class"))
        """
    }

    var functions: String {
        """
        SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' ELSE 'function' END AS kind,
               \(qualified("n", "p.proname")) || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
               l.lanname AS language, CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS definition,
               p.oid::int8 AS position
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE \(filter.covers("n")) AND \(filter.notFromExtension("p.oid", catalog: "pg_proc"))
        """
    }

    var triggers: String {
        """
        SELECT \(qualified("n", "c.relname")) || '.' || quote_ident(tg.tgname) AS name, \(qualified("n", "c.relname")) AS table_name,
               \(sql("n", "c.relname")) AS table_sql, tg.tgname AS trigger_name, pg_get_triggerdef(tg.oid) AS definition,
               tg.oid::int8 AS position
        FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT tg.tgisinternal AND \(filter.covers("n"))
        """
    }

    var enums: String {
        """
        SELECT \(qualified("n", "t.typname")) AS name, \(sql("n", "t.typname")) AS sql_name, n.nspname AS schema_name,
               t.typname AS type_name,
               (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
               t.oid::int8 AS position
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND \(filter.covers("n")) AND \(filter.notFromExtension("t.oid", catalog: "pg_type"))
        """
    }

    var policies: String {
        """
        SELECT \(qualified("n", "c.relname")) || '.' || quote_ident(p.polname) AS name, \(qualified("n", "c.relname")) AS table_name,
               \(sql("n", "c.relname")) AS table_sql, p.polname AS policy_name, quote_ident(p.polname) AS policy_sql,
               p.polpermissive AS permissive,
               CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
               (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ')
                FROM unnest(p.polroles) AS r) AS roles,
               pg_get_expr(p.polqual, p.polrelid) AS using_expression, pg_get_expr(p.polwithcheck, p.polrelid) AS check_expression,
               p.oid::int8 AS position
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(filter.covers("n"))
        """
    }

    /// Schemas (no `extension_schema`) and extensions, by the fingerprint's names.
    var schemasAndExtensions: String {
        """
        SELECT quote_ident(n.nspname) AS name, NULL::text AS extension_schema
        FROM pg_namespace n WHERE \(filter.covers("n")) AND \(filter.notFromExtension("n.oid", catalog: "pg_namespace"))
        UNION ALL
        SELECT quote_ident(x.extname), quote_ident(n.nspname)
        FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'
        """
    }
}
