import Foundation

/// What a run did: each step's outcome with its duration and notices, totals, and the run's time.
///
/// The library returns it; `robot run` renders it as text or JSON (``RunReport/jsonData()``).
public struct RunReport: Sendable, Hashable, Codable {
    /// How the run went as a whole.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Every step that ran succeeded (or there was nothing to do).
        case succeeded
        /// Non-critical steps failed; the rest went on. The service may start, visibly degraded.
        case degraded
        /// A critical step failed and the run stopped. The service must not start.
        case stopped
        /// A dry run: nothing was changed.
        case planned
        /// The run's task was cancelled between steps: the steps before stay applied, the rest did not run.
        case cancelled
    }

    /// How the run treated the steps.
    public enum Mode: String, Sendable, Hashable, Codable {
        case apply
        case heal
        case dryRun = "dry-run"
    }

    /// The database, as a URL without its password.
    public var target: String
    public var ledgerSchema: String
    public var mode: Mode
    public var outcome: Outcome
    public var startedAt: Date
    /// The whole run's wall time, in seconds.
    public var durationSeconds: Double
    /// How long the run waited for another robot's advisory lock, in seconds, when it had to.
    public var lockWaitSeconds: Double?
    /// The database had no ledger, so every step ran once to adopt it.
    public var adoptedDatabase: Bool
    public var steps: [StepOutcome]
    /// Things a person should look at: edited steps, steps the catalogue does not know.
    public var warnings: [String]
    public var robotVersion: String

    /// How many steps ended with `status`.
    public func count(_ status: StepOutcome.Status) -> Int {
        // By index: reading one field of each outcome copies none (a report may have thousands).
        steps.indices.count { steps[$0].status == status }
    }

    /// The steps that failed in this run.
    public var failedSteps: [StepOutcome] {
        steps.indices.filter { steps[$0].status == .failed }.map { steps[$0] }
    }

    /// The report as pretty-printed JSON with sorted keys and ISO 8601 dates, which `JSONDecoder` reads back
    /// (with `dateDecodingStrategy = .iso8601`).
    public func jsonData() -> Data {
        ReportJSON.encode(self)
    }
}

/// What happened to one step in a run.
public struct StepOutcome: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The step ran and committed.
        case applied
        /// Heal mode: an applied step ran again and committed.
        case healed
        /// Already applied with the same checksum.
        case skipped
        /// The step failed and was rolled back.
        case failed
        /// A critical step failed earlier, or the run was cancelled, so this one did not run.
        case notRun = "not-run"
        /// A dry run: the step would run.
        case pending
    }

    public var position: Int
    public var id: String
    public var name: String
    public var isCritical: Bool
    public var status: Status
    /// Why the step ran (`new`, `failed before`, `changed since applied`, `heal`).
    public var reason: String?
    public var durationMilliseconds: Int?
    /// How many times this run tried the step (lock timeouts are retried).
    public var tries: Int
    /// NOTICE and WARNING messages the step raised.
    public var notices: [ServerNotice]
    /// Why the step failed, when it did.
    public var failure: StepFailure?
    /// The relation locks the step took, as its ledger row records them; `nil` for a step that did not commit.
    public var locks: StepLocks? = nil
}

/// Why a step failed, pointing into its source.
public struct StepFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The server's context line, e.g. `PL/pgSQL function inline_code_block line 3 at RAISE`.
    public var context: String?
    /// The 1-based number of the failing statement within the step, when it is known.
    public var statement: Int?
    /// Where in the step's source the error is: `steps/0003_x.sql:4:3`.
    public var location: String?

    public var description: String {
        var text = "ERROR"
        if let sqlState { text += " \(sqlState)" }
        if let location { text += " at \(location)" }
        text += ": \(message)"
        if let detail { text += "\n  detail: \(detail)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
