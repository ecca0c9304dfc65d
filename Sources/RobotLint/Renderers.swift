import Foundation
import MaintenanceRobot

/// Renders diagnostics as compilers do: `file:line:col: error[RULE-ID]: message`, then the hint.
public enum TextRenderer {
    /// Every diagnostic with its hint, then a summary line.
    public static func render(_ diagnostics: [Diagnostic]) -> String {
        var lines: [String] = []
        for diagnostic in diagnostics {
            lines.append(line(for: diagnostic))
            lines.append("    hint: \(diagnostic.hint)")
        }
        lines.append(summary(diagnostics))
        return lines.joined(separator: "\n")
    }

    /// `steps/0003_seed.sql:4:1: error[insert-without-on-conflict]: INSERT without …`
    public static func line(for diagnostic: Diagnostic) -> String {
        "\(diagnostic.place): \(diagnostic.severity.rawValue)[\(diagnostic.ruleID)]: \(diagnostic.message)"
    }

    /// `2 errors, 1 warning` or `no problems found`.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count - errors
        guard !diagnostics.isEmpty else { return "no problems found" }
        return "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
    }
}

/// Renders diagnostics as a JSON array of ``Diagnostic`` objects.
public enum JSONRenderer {
    public static func render(_ diagnostics: [Diagnostic]) -> Data {
        ReportJSON.encode(diagnostics)
    }
}

/// Renders diagnostics as SARIF 2.1.0, the format GitHub code scanning reads.
public enum SARIFRenderer {
    public static func render(_ diagnostics: [Diagnostic]) -> Data {
        ReportJSON.encode(Log(runs: [Run(
            tool: Tool(driver: Driver(rules: Rule.allCases.map(RuleDescriptor.init))),
            results: diagnostics.map(Result.init)
        )]))
    }

    private struct Log: Encodable {
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version, runs
            case schema = "$schema"
        }
    }

    private struct Run: Encodable { let tool: Tool, results: [Result] }
    private struct Tool: Encodable { let driver: Driver }

    private struct Driver: Encodable {
        let name = "robot lint"
        let informationUri = "https://github.com/maintenance-robot/maintenance-robot/blob/main/docs/lint-rules.md"
        let rules: [RuleDescriptor]
    }

    private struct Text: Encodable { let text: String }
    private struct Level: Encodable { let level: String }

    private struct RuleDescriptor: Encodable {
        let id: String
        let shortDescription: Text
        let help: Text
        let defaultConfiguration: Level

        init(_ rule: Rule) {
            id = rule.id
            shortDescription = Text(text: rule.summary)
            help = Text(text: rule.hint)
            defaultConfiguration = Level(level: rule.severity.rawValue)
        }
    }

    private struct Result: Encodable {
        let ruleId: String
        let level: String
        let message: Text
        let locations: [Location]
        /// SARIF's property bag: the lock a lock rule names.
        let properties: Properties?

        init(_ diagnostic: Diagnostic) {
            ruleId = diagnostic.ruleID
            properties = diagnostic.lock.map(Properties.init)
            level = diagnostic.severity.rawValue
            message = Text(text: "\(diagnostic.message). Hint: \(diagnostic.hint)")
            locations = [Location(physicalLocation: PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: diagnostic.file),
                region: diagnostic.line.map { Region(startLine: $0, startColumn: diagnostic.column) }
            ))]
        }
    }

    private struct Properties: Encodable { let lock: LockEffect }
    private struct Location: Encodable { let physicalLocation: PhysicalLocation }
    private struct PhysicalLocation: Encodable { let artifactLocation: ArtifactLocation, region: Region? }
    private struct ArtifactLocation: Encodable { let uri: String }
    private struct Region: Encodable { let startLine: Int, startColumn: Int? }
}
