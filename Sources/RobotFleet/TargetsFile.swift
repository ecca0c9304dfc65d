import Foundation
import MaintenanceRobot

/// A targets file: one target per line, for database-per-tenant fleets.
///
/// ```
/// # tenants on db1
/// postgres://app@db1:5432/tenant_1
/// postgres://app@db1:5432/tenant_2
/// # schemas of one database
/// postgres://app@db2:5432/shared schema=acme
/// postgres://app@db2:5432/shared schema="Acme EU"
/// ```
/// Each line is a `postgres://` URL (as `--database-url` takes it), optionally followed by `schema=NAME`: the name
/// as PostgreSQL stores it (case kept), double-quoted when it has a blank (a quote inside doubled). Blank lines and
/// lines starting with `#` are skipped. What a URL leaves out — a password, most often — comes from the libpq
/// variables of `environment` (`PGPASSWORD` …), as for `--database-url`.
public enum TargetsFile {
    /// Reads the targets file at `path`.
    public static func read(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(FleetError) -> [FleetTarget] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .targetsFileUnreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, path: path, environment: environment)
    }

    /// The targets of a targets file's `text`; `path` names the file in errors.
    public static func parse(_ text: String, path: String, environment: [String: String] = [:]) throws(FleetError) -> [FleetTarget] {
        var targets: [FleetTarget] = []
        var lineOfIdentity: [String: Int] = [:]
        // By Character: "\r\n" is one, and a line break.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let target: FleetTarget
            do {
                target = try parse(line: line, environment: environment)
            } catch {
                throw .badTargetLine(path: path, line: index + 1, error)
            }
            if let first = lineOfIdentity[target.identity] {
                throw .badTargetLine(path: path, line: index + 1, .repeated(firstLine: first))
            }
            lineOfIdentity[target.identity] = index + 1
            targets.append(target)
        }
        return targets
    }

    private static func parse(line: String, environment: [String: String]) throws(FleetError.TargetLineProblem) -> FleetTarget {
        let url = String(line.prefix { !$0.isWhitespace })
        guard ["postgres://", "postgresql://"].contains(where: { url.lowercased().hasPrefix($0) }) else { throw .notAURL }
        let connection: ConnectionSettings
        do {
            connection = try ConnectionSettings(url: url, environment: environment)
        } catch {
            throw .url(error)
        }
        var rest = line.dropFirst(url.count).drop { $0.isWhitespace }
        var schema: TenantSchema?
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), !rest[..<equals].contains(where: \.isWhitespace) else { throw .notAField }
            let name = String(rest[..<equals])
            guard name == "schema" else { throw .unknownField(name) }
            guard schema == nil else { throw .repeatedSchema }
            let value: String
            (value, rest) = try schemaName(rest[rest.index(after: equals)...])
            do {
                schema = try TenantSchema(value)
            } catch {
                throw .badSchemaName(error.description)
            }
            rest = rest.drop { $0.isWhitespace }
        }
        return FleetTarget(connection: connection, tenantSchema: schema)
    }

    /// The schema name at the start of `text`, plain or double-quoted, and what follows it.
    private static func schemaName(_ text: Substring) throws(FleetError.TargetLineProblem) -> (String, Substring) {
        guard text.first == "\"" else {
            let name = text.prefix { !$0.isWhitespace }
            guard !name.isEmpty else { throw .badSchemaName("schema= has no name") }
            return (String(name), text[name.endIndex...])
        }
        var name = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == "\"" {
                guard next < text.endIndex, text[next] == "\"" else { return (name, text[next...]) }
                name.append("\"")
                index = text.index(after: next)
            } else {
                name.append(text[index])
                index = next
            }
        }
        throw .badSchemaName("the quoted schema name has no closing quote")
    }
}
