import Foundation
@testable import MaintenanceRobot
import Testing

@Suite struct RunReportJSONTests {
    /// A report with every optional present somewhere and absent elsewhere, and text that needs escaping.
    static let report = RunReport(
        target: "postgres://app@db.internal:5432/app?sslmode=require", ledgerSchema: "maintenance_robot", mode: .apply,
        outcome: .degraded, startedAt: Date(timeIntervalSince1970: 1_795_000_000), durationSeconds: 0.000_012_5,
        lockWaitSeconds: 1.25, adoptedDatabase: true,
        steps: [
            StepOutcome(position: 1, id: "0001_create_tenants", name: "Create tenants table (v1.0 Update)", isCritical: true,
                        status: .skipped, reason: nil, durationMilliseconds: nil, tries: 0, notices: [], failure: nil),
            StepOutcome(position: 2, id: "0002_seed", name: "Seed \"prompts\" \\ émojis 🤖\ttab", isCritical: false,
                        status: .failed, reason: "new", durationMilliseconds: 12, tries: 2,
                        notices: [ServerNotice(severity: "NOTICE", sqlState: "00000", message: "exists\nalready\u{1}", context: "line 3")],
                        failure: StepFailure(sqlState: "23502", message: "null value", detail: "Failing row", hint: nil,
                                             context: nil, statement: 2, location: "steps/0002_seed.sql:4:3")),
        ],
        warnings: ["step 1 was edited / re-run"], robotVersion: Robot.version
    )

    @Test func theReportReadsBackAsItWasWritten() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(RunReport.self, from: Self.report.jsonData()) == Self.report)
    }

    @Test func theReportIsWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var noLockWait = Self.report
        noLockWait.lockWaitSeconds = nil
        noLockWait.steps = []
        for report in [Self.report, noLockWait] {
            let written = String(decoding: report.jsonData(), as: UTF8.self)
            let encoded = String(decoding: try encoder.encode(report), as: UTF8.self)
            #expect(written == encoded)
        }
    }
}
