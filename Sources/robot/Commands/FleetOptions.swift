import ArgumentParser
import Foundation
import MaintenanceRobot
import RobotFleet

/// Which targets `robot run` and `robot status` work on when they work on a fleet, and how many at once.
struct FleetTargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Work on a fleet of tenant schemas: a query, run on the database (--database-url), that returns one column of schema names. Each schema is a target whose steps run with search_path set to it (then public), with a ledger and a lock of its own. Write ORDER BY: the canary takes the first.",
        valueName: "sql"))
    var tenantSchemas: String?

    @Option(name: .long, help: ArgumentHelp(
        "Work on a fleet of databases: a file with one target per line, a postgres:// URL optionally followed by schema=NAME; blank lines and # comments are skipped. What the URLs leave out (the password) comes from PGPASSWORD and the other PG variables.",
        valueName: "file"))
    var targets: String?

    @Option(name: .long, help: ArgumentHelp("How many targets at once, each on a connection of its own. Default: 8", valueName: "k"))
    var parallel: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Take only shard I of N: the targets whose stable hash (of host, port, database and schema) falls in it. N processes with 0/N … (N-1)/N share the fleet.",
        valueName: "i/n"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp(
        "Split the fleet into N shards and take the one JOB_COMPLETION_INDEX names (a Kubernetes Indexed Job with completions N).",
        valueName: "n"))
    var shards: Int?

    /// Whether the command works on a fleet.
    var isFleet: Bool { tenantSchemas != nil || targets != nil }

    var parallelism: Int { parallel ?? FleetSchedule().parallelism }

    func validate() throws {
        if tenantSchemas != nil && targets != nil {
            throw ValidationError("--tenant-schemas and --targets exclude each other: give one")
        }
        for (given, option) in [(parallel != nil, "--parallel"), (shard != nil, "--shard"), (shards != nil, "--shards")] where given && !isFleet {
            throw ValidationError("\(option) works on a fleet: add --tenant-schemas SQL or --targets FILE")
        }
        if let parallel, !(1...1000).contains(parallel) {
            throw ValidationError("--parallel takes a number of targets from 1 to 1000")
        }
        if shard != nil && shards != nil {
            throw ValidationError("--shard and --shards exclude each other: give --shard I/N, or --shards N in a Kubernetes Indexed Job")
        }
        _ = try fleetShard()
    }

    /// The shard this process takes: `--shard I/N`, or `--shards N` with I from `JOB_COMPLETION_INDEX`.
    func fleetShard(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FleetShard? {
        do {
            if let shard { return try FleetShard(parsing: shard) }
            guard let shards else { return nil }
            guard let text = environment["JOB_COMPLETION_INDEX"] else {
                throw ValidationError("--shards \(shards) takes this process's shard from JOB_COMPLETION_INDEX, which is not set: run it in a Kubernetes Indexed Job, or give --shard I/\(shards)")
            }
            guard let index = Int(text) else {
                throw ValidationError("JOB_COMPLETION_INDEX is '\(text)', not a number: give --shard I/\(shards) instead")
            }
            return try FleetShard(index: index, count: shards)
        } catch let error as FleetError {
            throw ValidationError("\(shard == nil ? "--shards with JOB_COMPLETION_INDEX" : "--shard"): \(error)")
        }
    }

    /// The fleet's targets, this process's shard of them.
    func fleet(_ options: SharedOptions, configuration: RobotConfiguration) async throws -> Fleet {
        var targets: [FleetTarget] = []
        do {
            if let query = tenantSchemas {
                targets = try await TenantSchemaQuery.targets(query, on: try options.connectionSettings(), configuration: configuration,
                                                              logger: options.logger())
            } else if let file = self.targets {
                if options.databaseURL != nil {
                    printError("--database-url and --targets exclude each other: the targets file names each database")
                    throw ExitStatus.usage
                }
                targets = try TargetsFile.read(file)
            }
        } catch let error as FleetError {
            throw fail(error)
        }
        let fleet = Fleet(targets)
        return try fleetShard().map(fleet.sharded) ?? fleet
    }
}

/// `robot run`'s fleet options: the targets, the canary and fail-fast.
struct FleetRunOptions: ParsableArguments {
    @OptionGroup var targets: FleetTargetOptions

    @Option(name: .long, help: ArgumentHelp(
        "Run the first N targets before the rest, which run only if each of the N completes: a failed critical step (with --strict, any failed step), or a canary that could not connect or lock, stops the fleet there.",
        valueName: "n"))
    var canary: Int?

    @Flag(help: "Start no new target after the first failed one (the running ones finish).")
    var failFast = false

    var isFleet: Bool { targets.isFleet }

    func validate() throws {
        if !isFleet && (canary != nil || failFast) {
            throw ValidationError("\(canary != nil ? "--canary" : "--fail-fast") works on a fleet: add --tenant-schemas SQL or --targets FILE")
        }
        if let canary, canary < 0 { throw ValidationError("--canary takes a number of targets, 0 or more") }
    }

    var schedule: FleetSchedule {
        FleetSchedule(parallelism: targets.parallelism, canary: canary ?? 0, failsFast: failFast)
    }
}

/// Says why a fleet could not start, and returns its exit status.
func fail(_ error: FleetError) -> ExitStatus {
    switch error {
    case .robot(let error):
        return fail(error)
    case .targetsFileUnreadable, .badTargetLine, .tenantQueryFailed, .badTenantQueryResult, .invalidShard:
        printError(error.description)
        return .usage
    }
}

extension ExitStatus {
    /// The status a fleet run ends with: cancelled (130, 143) before all; then 1 when a target failed (a critical
    /// step, or the run was refused); then 3 when a target was unreachable, lost its connection or did not get its
    /// lock; otherwise 0.
    static func of(_ report: FleetReport) -> ExitStatus? {
        if report.summary.stop == .cancelled || report.count(.cancelled) > 0 { return .interrupted }
        if report.count(.stopped) + report.count(.failed) > 0 { return .stepFailed }
        if report.count(.unreachable) + report.count(.connectionLost) + report.count(.lockNotObtained) > 0 { return .unavailable }
        return nil
    }

    /// The status a fleet's status ends with: 1 when a target's status could not be read for a reason other than
    /// its connection or a lock, else 3 when one could not be reached or locked, else 0.
    static func of(_ status: FleetStatus) -> ExitStatus? {
        let problems = status.targets.compactMap(\.problem)
        if problems.contains(.notRun) || problems.contains(.cancelled) { return .interrupted }
        if problems.contains(.failed) { return .stepFailed }
        return problems.isEmpty ? nil : .unavailable
    }
}
