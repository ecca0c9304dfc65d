/// Small pieces of the repair SQL: literals, `DO` blocks and comments, each written so that any name or value
/// (quotes, backslashes, dollar signs, new lines) stays what it is.
enum RepairText {
    /// `text` as a string literal, as PostgreSQL's `quote_nullable` writes it: `NULL`, `'it''s'`, or `E'a\\b'` when
    /// the text holds a backslash (so it reads the same whatever `standard_conforming_strings` is).
    static func literal(_ text: String?) -> String {
        guard let text else { return "NULL" }
        let quoted = text.replacingOccurrences(of: "'", with: "''")
        guard text.contains("\\") else { return "'\(quoted)'" }
        return "E'\(quoted.replacingOccurrences(of: "\\", with: "\\\\"))'"
    }

    /// `DO $drift$ BEGIN … END $drift$;` around `body` (lines indented once), with a dollar tag the body does not contain.
    static func doBlock(_ body: [String]) -> String {
        let text = body.joined(separator: "\n")
        var tag = "$drift$"
        var number = 1
        while text.contains(tag) {
            number += 1
            tag = "$drift\(number)$"
        }
        return (["DO \(tag)", "BEGIN"] + body.map { "    " + $0 } + ["END", "\(tag);"]).joined(separator: "\n")
    }

    /// `-- text` on one line: new lines inside `text` become spaces, so nothing of it can leave the comment.
    static func comment(_ text: String) -> String {
        "-- " + text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// `IF NOT EXISTS (SELECT 1 FROM pg_catalog.<catalog> WHERE <condition>) THEN <statements> END IF;`
    static func ifMissing(_ catalog: String, _ condition: String, _ statements: [String]) -> [String] {
        ["IF NOT EXISTS (SELECT 1 FROM pg_catalog.\(catalog) WHERE \(condition)) THEN"] + statements.map { "    " + $0 } + ["END IF;"]
    }

    /// `'public.tickets'::regclass`
    static func regclass(_ tableSQL: String) -> String {
        "\(literal(tableSQL))::regclass"
    }
}
