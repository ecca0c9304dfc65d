import Foundation
import MaintenanceRobot
import RobotVerify

/// What `robot drift` found: the live database's differences from a fresh install of its catalogue, grouped by
/// table, and the idempotent SQL that repairs what can be repaired safely.
public struct DriftReport: Sendable, Hashable, Codable {
    /// The catalogue compared with: its source and step count.
    public var catalogueSource: String
    public var stepCount: Int
    /// The live database, as a URL without password.
    public var live: String
    /// Where the fresh install was built: `throwaway cluster`, or the scratch server's URL without password.
    public var freshInstall: String
    /// The differences, one group per table (objects of no table last), each group sorted by object.
    public var groups: [DriftGroup]
    /// The repair: statements for what can be repaired safely, and the reasons for what cannot.
    public var repair: RepairSQL
    /// Things worth knowing: steps the live ledger does not record as applied, seed rows that could not be compared.
    public var notes: [String]
    /// The step files `--write-step` wrote, when it did.
    public var writtenSteps: [String] = []
    /// The check's wall time, in seconds.
    public var durationSeconds: Double

    /// Whether the live database differs from the fresh install.
    public var hasDrift: Bool { !groups.isEmpty }

    /// Every difference, in group order.
    public var differences: [DriftDifference] { groups.flatMap(\.differences) }

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() -> Data {
        ReportJSON.encode(self)
    }
}

/// The differences of one table (or of the objects that belong to no table).
public struct DriftGroup: Sendable, Hashable, Codable {
    /// The table's name, as the differences write it; `nil` for schemas, functions, types, extensions.
    public var table: String?
    public var differences: [DriftDifference]
}

/// One object on which the live database and the fresh install disagree, in verify's terms, with what the repair does.
public struct DriftDifference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The object, the fresh install's value (`expected`), the live value (`actual`, label `live`) and the steps
    /// that should have produced it.
    public var difference: Difference
    /// The table it belongs to, when it belongs to one.
    public var table: String?
    /// What the live object lacks or has otherwise, in short (`nullable`, `no default`), when that says more than its value.
    public var liveSummary: String?
    /// What the repair SQL does about it (`SET NOT NULL, guarded by the absence of NULLs`); empty when nothing.
    public var repairs: [String]
    /// Why it is not (or not fully) repaired; `nil` when the repair covers it.
    public var notRepaired: String?

    /// `column tickets.priority: expected text NOT NULL DEFAULT 'normal'::text · live: nullable`, on one line.
    public var description: String {
        "\(difference.kind) \(difference.name): expected \(Self.shown(difference.expected)) · live: \(liveSummary ?? Self.shown(difference.actual))"
    }

    /// `missing`, `present` for an object whose compared value is empty, a view's query on one line.
    private static func shown(_ value: String?) -> String {
        guard let value else { return "missing" }
        let line = value.split(whereSeparator: \.isNewline).map { $0.drop(while: \.isWhitespace) }.joined(separator: " ")
        return line.isEmpty ? "present" : line
    }
}
