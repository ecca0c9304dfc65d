import Foundation
import MaintenanceRobot
import RobotLint
import Testing

/// One failing and one passing fixture directory per rule: Fixtures/rules/<rule-id>/{bad,good}.
@Suite struct RuleFixtureTests {
    @Test(arguments: Rule.allCases)
    func badFixtureBreaksTheRuleExactlyWhereExpected(rule: Rule) throws {
        let directory = "rules/\(rule.id)/bad"
        let diagnostics = try Fixtures.lint(directory)
        #expect(diagnostics.contains { $0.ruleID == rule.id }, "\(rule.id) not reported: \(diagnostics.map(TextRenderer.line))")
        let expected = try Fixtures.expectations(in: directory)
        #expect(Fixtures.positions(diagnostics) == expected)
        #expect(diagnostics.allSatisfy { $0.severity == rule.severity || $0.ruleID != rule.id })
    }

    @Test(arguments: Rule.allCases)
    func goodFixtureIsClean(rule: Rule) throws {
        let diagnostics = try Fixtures.lint("rules/\(rule.id)/good")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(TextRenderer.line))")
    }

    @Test func realWorldCatalogueWithProblemsIsReportedAtExactPositions() throws {
        let diagnostics = try Fixtures.lint("realworld/dirty")
        #expect(Fixtures.positions(diagnostics) == (try Fixtures.expectations(in: "realworld/dirty")))
    }

    @Test func realWorldIdempotentCatalogueIsClean() throws {
        let diagnostics = try Fixtures.lint("realworld/clean")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(TextRenderer.line))")
    }
}
