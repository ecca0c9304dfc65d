import Foundation

/// A new step file, appended to a step directory by `robot new` (and by `robot drift --write-step`).
public struct StepFileTemplate: Sendable {
    public let name: String
    public let isCritical: Bool
    public let runsInTransaction: Bool
    /// The step's SQL after its header; `nil` for the placeholder `robot new` writes.
    public let sql: String?

    public init(name: String, isCritical: Bool = false, runsInTransaction: Bool = true, sql: String? = nil) {
        self.name = name.trimmingCharacters(in: .whitespaces)
        self.isCritical = isCritical
        self.runsInTransaction = runsInTransaction
        self.sql = sql
    }

    /// Writes the next numbered file into `directory`, creating the directory when missing.
    /// - Returns: the new file's path.
    /// - Throws: ``CatalogueError`` when the directory's existing steps are broken or it cannot be written.
    public func write(into directory: String) throws(CatalogueError) -> String {
        let existing: [StepDirectory.FileName]
        if FileManager.default.fileExists(atPath: directory) {
            existing = try StepDirectory.stepFileNames(in: directory)
        } else {
            existing = []
        }
        let number = (existing.last?.number ?? 0) + 1
        let width = max(4, existing.map { $0.fileName.prefix { $0.isNumber }.count }.max() ?? 4)
        let digits = String(number)
        let fileName = String(repeating: "0", count: max(0, width - digits.count)) + digits + "_" + Self.slug(for: name) + ".sql"
        let path = (directory as NSString).appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(contents(number: number).utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw CatalogueError(problems: [.unwritable(path: path, reason: error.localizedDescription)])
        }
        return path
    }

    /// The file's text: the header, then ``sql``, or a reminder of the rules and a placeholder that only raises a notice.
    public func contents(number: Int) -> String {
        var lines = ["-- robot:name \(name)"]
        if isCritical { lines.append("-- robot:critical") }
        if !runsInTransaction { lines.append("-- robot:no-transaction") }
        if let sql { return (lines + [sql]).joined(separator: "\n") + (sql.hasSuffix("\n") ? "" : "\n") }
        let noticeName = name.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "$", with: "")
        lines += [
            "--",
            "-- Write the step's SQL below. Every statement must be safe to run again:",
            "--   CREATE TABLE IF NOT EXISTS …;  CREATE INDEX IF NOT EXISTS …;",
            "--   ALTER TABLE … ADD COLUMN IF NOT EXISTS …;",
            "--   INSERT … ON CONFLICT DO NOTHING;",
            "--   conditional changes in DO $$ BEGIN IF NOT EXISTS (…) THEN … END IF; END $$;",
            "-- Until then the step only raises a notice.",
            "",
            "DO $$",
            "BEGIN",
            "    RAISE NOTICE 'step \(number) (\(noticeName)) has no SQL yet';",
            "END",
            "$$;",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// `add_owner_email_to_tenants` from `Add owner email to tenants (v1.1 Update)`: lower-case ASCII letters,
    /// digits and `_`, at most 48 characters, the version tag left out (also for `robot import`).
    package static func slug(for name: String) -> String {
        var base = name
        if VersionTag(stepName: name) != nil, let open = name.lastIndex(of: "(") { base = String(name[..<open]) }
        var slug = ""
        for character in base.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                slug.append(character)
            } else if !slug.isEmpty && slug.last != "_" {
                slug.append("_")
            }
        }
        slug = String(slug.prefix(48))
        while slug.hasSuffix("_") { slug.removeLast() }
        return slug.isEmpty ? "step" : slug
    }
}
