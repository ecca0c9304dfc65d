@testable import MaintenanceRobot
import Testing

@Suite struct PlanTests {
    let catalogue = try! Catalogue([
        Step("Create a (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS a (id int)"),
        Step("Create b (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS b (id int)"),
        Step("Create c (v1.1 Update)", sql: "CREATE TABLE IF NOT EXISTS c (id int)"),
    ])

    func row(_ position: Int, status: LedgerRow.Status = .applied, checksum: String? = nil, id: String? = nil) -> LedgerRow {
        let step = catalogue.steps[min(position, catalogue.steps.count) - 1]
        return LedgerRow(
            id: id ?? step.id, position: position, name: step.name, checksum: checksum ?? step.checksum, status: status,
            attempts: 1, firstAppliedAt: nil, lastRunAt: "2026-01-01 00:00:00+00", durationMilliseconds: 1,
            sqlState: status == .failed ? "42P07" : nil, error: nil, robotVersion: "0.1.0"
        )
    }

    @Test func noLedgerMeansAdoptionOfEveryStep() {
        let plan = Plan(catalogue: catalogue, ledger: nil, mode: .apply)
        #expect(plan.isAdoption)
        #expect(plan.entries.map(\.action) == Array(repeating: .apply(.new), count: 3))
        #expect(plan.hasWork)
    }

    @Test func appliedStepsAreSkippedAndNewOnesApplied() {
        let plan = Plan(catalogue: catalogue, ledger: [row(1), row(2)], mode: .apply)
        #expect(plan.entries.map(\.action) == [.skip, .skip, .apply(.new)])
        #expect(!plan.isAdoption)
    }

    @Test func aFullyAppliedCatalogueHasNoWork() {
        let plan = Plan(catalogue: catalogue, ledger: [row(1), row(2), row(3)], mode: .apply)
        #expect(!plan.hasWork)
    }

    @Test func failedAndChangedStepsRunAgain() {
        let plan = Plan(catalogue: catalogue, ledger: [row(1, status: .failed), row(2, checksum: "old"), row(3)], mode: .apply)
        #expect(plan.entries.map(\.action) == [
            .apply(.failedBefore(attempts: 1, sqlState: "42P07")), .apply(.changed(appliedChecksum: "old")), .skip,
        ])
        #expect(plan.changedSteps.map(\.step.position) == [2])
    }

    @Test func healRunsAppliedStepsAgain() {
        let plan = Plan(catalogue: catalogue, ledger: [row(1), row(2)], mode: .heal)
        #expect(plan.entries.map(\.action) == [.heal, .heal, .apply(.new)])
    }

    @Test func stepsPastTheCatalogueAreReportedNotRefused() {
        var newer = row(3)
        newer.id = "0004"
        newer.position = 4
        let plan = Plan(catalogue: catalogue, ledger: [row(1), row(2), row(3), newer], mode: .apply)
        #expect(plan.conflicts.isEmpty)
        #expect(plan.unknownSteps.map(\.id) == ["0004"])
        #expect(!plan.hasWork)
    }

    @Test func aReplacedStepIsAConflict() {
        let plan = Plan(catalogue: catalogue, ledger: [row(1), row(2, id: "removed")], mode: .apply)
        #expect(plan.conflicts.count == 1)
        #expect(plan.conflicts[0].description.contains("position 2 held step 'removed'"))
    }

    @Test func aMovedStepIsAConflict() throws {
        let named = try Catalogue([
            Step("A", id: "a", sql: "SELECT 1"), Step("B", id: "b", sql: "SELECT 2"),
        ])
        let ledger = [LedgerRow(id: "b", position: 1, name: "B", checksum: named.steps[1].checksum, status: .applied,
                                attempts: 1, firstAppliedAt: nil, lastRunAt: "", durationMilliseconds: nil, sqlState: nil,
                                error: nil, robotVersion: "0.1.0")]
        let plan = Plan(catalogue: named, ledger: ledger, mode: .apply)
        #expect(plan.conflicts.first?.description.contains("step 'b' was applied at position 1") == true)
    }
}
