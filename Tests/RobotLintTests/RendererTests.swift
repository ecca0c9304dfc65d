import Foundation
import MaintenanceRobot
import RobotLint
import Testing

@Suite struct RendererTests {
    private let diagnostics: [Diagnostic] = {
        let step = try! Catalogue([Step("Seed (v1.0 Update)", sql: "\n  TRUNCATE t;", fileID: "Steps.swift", line: 3)]).steps[0]
        return [
            Diagnostic(rule: .truncate, message: "TRUNCATE empties the table", step: step, at: step.statements[0].start),
            Diagnostic(rule: .lexingError, message: "unterminated string", file: "steps/0002_x.sql", line: 4, column: 9),
        ]
    }()

    @Test func textIsCompilerStyleWithHints() {
        let text = TextRenderer.render(diagnostics)
        #expect(text.contains("Steps.swift:3 (SQL 2:3): warning[truncate]: TRUNCATE empties the table\n    hint: "))
        #expect(text.contains("steps/0002_x.sql:4:9: error[lexing-error]: unterminated string\n    hint: close"))
        #expect(text.hasSuffix("1 error, 1 warning"))
        #expect(TextRenderer.render([]) == "no problems found")
    }

    @Test func jsonDecodesBackToTheDiagnostics() throws {
        let decoded = try JSONDecoder().decode([Diagnostic].self, from: JSONRenderer.render(diagnostics))
        #expect(decoded == diagnostics)
    }

    /// The lock a lock rule names travels in JSON (`lock`) and in SARIF (the result's `properties.lock`).
    @Test func theLockOfALockRuleIsInJSONAndSARIF() throws {
        let catalogue = try Catalogue([Step("Index (v1.0 Update)", sql: "CREATE INDEX IF NOT EXISTS t_a_idx ON t (a);", fileID: "Steps.swift", line: 3)])
        let diagnostics = Linter().lint(catalogue)
        #expect(diagnostics.map(\.lock) == [LockEffect(relation: "t", mode: .share, rewritesTable: false)])
        #expect(try JSONDecoder().decode([Diagnostic].self, from: JSONRenderer.render(diagnostics)) == diagnostics)
        let object = try JSONSerialization.jsonObject(with: SARIFRenderer.render(diagnostics)) as? [String: Any]
        let result = ((object?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first
        let lock = (result?["properties"] as? [String: Any])?["lock"] as? [String: Any]
        #expect(lock?["mode"] as? String == "ShareLock" && lock?["relation"] as? String == "t" && lock?["rewritesTable"] as? Bool == false)
    }

    @Test func sarifHasVersionRulesAndResultsWithRegions() throws {
        let object = try JSONSerialization.jsonObject(with: SARIFRenderer.render(diagnostics)) as? [String: Any]
        #expect(object?["version"] as? String == "2.1.0")
        let run = (object?["runs"] as? [[String: Any]])?.first
        let driver = (run?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect((driver?["rules"] as? [Any])?.count == Rule.allCases.count)
        let results = run?["results"] as? [[String: Any]]
        #expect(results?.map { $0["ruleId"] as? String } == ["truncate", "lexing-error"])
        let location = ((results?[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let region = location?["region"] as? [String: Int]
        #expect(region == ["startLine": 4, "startColumn": 9])
    }
}

@Suite struct RuleDocumentationTests {
    /// docs/lint-rules.md shows every rule, with its severity.
    @Test func everyRuleIsDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/lint-rules.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for rule in Rule.allCases {
            #expect(text.contains("### `\(rule.id)` (\(rule.severity.rawValue))"), "\(rule.id) is missing from docs/lint-rules.md")
        }
    }
}
