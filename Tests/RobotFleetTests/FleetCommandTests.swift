import Foundation
import MaintenanceRobot
import RobotFleet
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// `robot run` and `robot status` on fleets, as processes: exactly-once across processes and shards, exit statuses,
/// reports, secrets.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FleetCommandTests {
    static let secret = "s3cr3t-Pa55w0rd"

    /// `settings` as a URL with a password that must never be printed (the test cluster trusts every login).
    static func url(_ settings: ConnectionSettings) -> String {
        "postgres://\(settings.username):\(secret)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable"
    }

    static func decode(_ output: String) throws -> FleetReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(FleetReport.self, from: Data(output.utf8))
    }

    @Test func twoRobotsOnTheSameFleetApplyEachStepOncePerTenant() async throws {
        let db = try await Tenants.database(20)
        let command = (arguments: ["run", "--steps", Tenants.steps, "--tenant-schemas", Tenants.query, "--parallel", "4", "--json"],
                       environment: ["DATABASE_URL": Self.url(db)])
        let endings = try await RobotCommandLine.runTogether([command, command])
        for ending in endings {
            #expect(ending.code == 0, "\(ending.stderr)")
            #expect(try Self.decode(ending.stdout).count(.succeeded) == 20)
        }
        let probes = try await Tenants.probeRows(on: db)
        #expect(probes.count == 20 && probes.values.allSatisfy { $0 == 1 }, "\(probes)")
        #expect(!endings.contains { $0.stdout.contains(Self.secret) || $0.stderr.contains(Self.secret) })
    }

    @Test func fourShardsTogetherApplyEachStepOncePerTenant() async throws {
        let db = try await Tenants.database(24)
        let arguments = ["run", "--steps", Tenants.steps, "--tenant-schemas", Tenants.query, "--parallel", "2", "--json"]
        let environment = ["DATABASE_URL": Self.url(db)]
        let endings = try await RobotCommandLine.runTogether([
            (arguments + ["--shard", "0/4"], environment),
            (arguments + ["--shard", "1/4"], environment),
            (arguments + ["--shard", "2/4"], environment),
            // A Kubernetes Indexed Job's pod: its index from the environment.
            (arguments + ["--shards", "4"], environment.merging(["JOB_COMPLETION_INDEX": "3"]) { $1 }),
        ])
        var schemas: [String] = []
        for (index, ending) in endings.enumerated() {
            #expect(ending.code == 0, "\(ending.stderr)")
            let report = try Self.decode(ending.stdout)
            #expect(report.summary.shard == "\(index)/4")
            #expect(report.count(.succeeded) == report.targets.count)
            schemas += report.targets.compactMap(\.schema)
        }
        #expect(schemas.sorted() == (1...24).map(Tenants.name), "every tenant in exactly one shard")
        let probes = try await Tenants.probeRows(on: db)
        #expect(probes.count == 24 && probes.values.allSatisfy { $0 == 1 }, "\(probes)")
    }

    @Test func aTargetsFileWithAnUnreachableDatabaseReportsItAndFinishesTheRestWithStatus3() async throws {
        var databases: [ConnectionSettings] = []
        for number in 1...3 { databases.append(try await TestCluster.freshDatabase("targets_file_\(number)")) }
        var unreachable = databases[0]
        unreachable.port = try ThrowawayCluster.freePort()
        let file = NSTemporaryDirectory() + "robot-targets-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let lines = ["# three tenants and one that is gone", Self.url(databases[0]), Self.url(unreachable), "",
                     Self.url(databases[1]), "\(Self.url(databases[2])) schema=public"]
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let metrics = file + ".prom"
        defer { try? FileManager.default.removeItem(atPath: metrics) }
        let run = try await RobotCommandLine.run(["run", "--steps", Tenants.steps, "--targets", file, "--connect-timeout", "2",
                                                  "--metrics-file", metrics])
        #expect(run.code == 3, "\(run.stdout)\n\(run.stderr)")
        let report = run.stdout.split(separator: "\n").map(String.init)
        #expect(report[1] == "unreachable (1)", "\(run.stdout)")
        #expect(report[2] == "  postgres://postgres@127.0.0.1:\(unreachable.port)/\(unreachable.database)?sslmode=disable", "\(run.stdout)")
        #expect(report.contains("succeeded (3)"), "\(run.stdout)")
        #expect(!run.stdout.contains(Self.secret) && !run.stderr.contains(Self.secret))
        for database in databases {
            #expect(try await TestQueries.value("SELECT count(*)::text FROM probe", on: database) == "1")
        }
        // The fleet's metrics: every target's run counted in one file.
        let counted = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(counted.contains(#"maintenance_robot_runs_total{outcome="succeeded"} 3"#), "\(counted)")
        #expect(counted.contains(#"maintenance_robot_runs_total{outcome="error"} 1"#), "\(counted)")
        #expect(counted.contains(#"maintenance_robot_steps_total{outcome="applied"} 15"#), "\(counted)")
        // Off a terminal, one log line per finished target.
        #expect(run.stderr.split(separator: "\n").count { $0.contains("done ") && $0.contains("/4") } == 4, "\(run.stderr)")

        let status = try await RobotCommandLine.run(["status", "--steps", Tenants.steps, "--targets", file, "--connect-timeout", "2", "--json"])
        #expect(status.code == 3, "\(status.stderr)")
        let targets = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect((targets?["targets"] as? [[String: Any]])?.map { $0["problem"] as? String } == [nil, "unreachable", nil, nil])
        #expect(!status.stdout.contains(Self.secret) && !status.stderr.contains(Self.secret))
    }

    @Test func aBrokenTenantEndsTheRunWithStatus1AndIsListedFirst() async throws {
        let db = try await Tenants.database(5)
        _ = try await TestQueries.rows("CREATE TYPE tenant_003.invoices AS ENUM ('draft')", on: db)
        let environment = ["DATABASE_URL": Self.url(db)]
        let run = try await RobotCommandLine.run(["run", "--steps", Tenants.steps, "--tenant-schemas", Tenants.query], environment: environment)
        #expect(run.code == 1, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "robot apply on 5 targets, 8 at a time", "\(run.stdout)")
        #expect(lines[1] == "stopped (1)" && lines[2].hasSuffix("schema=tenant_003"), "\(run.stdout)")
        #expect(lines[3].hasPrefix("      critical step 1 \"Create invoices table (v1.0 Update)\" failed: ERROR 42710"), "\(run.stdout)")

        let status = try await RobotCommandLine.run(["status", "--steps", Tenants.steps, "--tenant-schemas", Tenants.query], environment: environment)
        #expect(status.code == 0, "\(status.stderr)")
        #expect(status.stdout.contains("behind  postgres://postgres@127.0.0.1:\(db.port)/\(db.database)?sslmode=disable schema=tenant_003: 4 pending, 1 failed"),
                "\(status.stdout)")
        #expect(status.stdout.hasSuffix("4 up to date, 1 behind, 0 not read\n"), "\(status.stdout)")
    }

    @Test func sigintStopsTheRunningTargetsBeforeTheirNextStepAndStartsNoOther() async throws {
        let db = try await Tenants.database(6)
        // Step 1 waits at a gate this test holds shut, so the signal finds the first two targets inside it.
        _ = try await TestQueries.rows("CREATE TABLE public.gate (a integer)", on: db)
        let gate = try await DatabaseSession.connect(to: db, waitingUpTo: .seconds(10), logger: Tenants.quiet)
        try await gate.execute("BEGIN")
        try await gate.execute("LOCK TABLE public.gate IN ACCESS EXCLUSIVE MODE")
        let steps = NSTemporaryDirectory() + "robot-fleet-sigint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: steps) }
        try FileManager.default.createDirectory(atPath: steps, withIntermediateDirectories: true)
        try "SELECT count(*) FROM public.gate;\n".write(toFile: steps + "/0001_pass_the_gate.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE IF NOT EXISTS after_the_gate (a integer);\n"
            .write(toFile: steps + "/0002_create_a_table.sql", atomically: true, encoding: .utf8)
        let waiting = "SELECT count(*)::text FROM pg_locks WHERE NOT granted AND relation = 'public.gate'::regclass"
        let ending = try await RobotCommandLine.runAndInterrupt(
            ["run", "--steps", steps, "--tenant-schemas", Tenants.query, "--parallel", "2", "--step-lock-timeout", "120"],
            environment: ["DATABASE_URL": Self.url(db)]
        ) {
            (try? await TestQueries.value(waiting, on: db)) == "2"
        } afterwards: {
            // The signal handled (a second is ample), the gate opens: the two running steps finish.
            try await Task.sleep(for: .seconds(1))
            await gate.close()
        }
        #expect(ending.code == 130, "\(ending.stdout)\n\(ending.stderr)")
        #expect(ending.stdout.contains("\ncancelled (2)\n"), "\(ending.stdout)")
        #expect(ending.stdout.contains("\nnot-run (4) — not started: the fleet was cancelled\n"), "\(ending.stdout)")
        #expect(ending.stdout.contains("      1 applied, 1 not-run in "), "\(ending.stdout)")
        #expect(try await TestQueries.value("SELECT count(*)::text FROM pg_tables WHERE tablename = 'after_the_gate'", on: db) == "0")
    }

    @Test func badFleetUsageIsRefusedBeforeAnythingRuns() async throws {
        let file = NSTemporaryDirectory() + "robot-targets-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "postgres://app:\(Self.secret)@db1/app\npostgres://app:\(Self.secret)@db1/app sslmode=require\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--targets", file], "\(file):2: unknown field 'sslmode'"),
            (["--parallel", "4"], "--parallel works on a fleet: add --tenant-schemas SQL or --targets FILE"),
            (["--targets", file, "--tenant-schemas", "SELECT 1"], "--tenant-schemas and --targets exclude each other"),
            (["--targets", file, "--shard", "4/4"], "'4/4' is not a shard"),
            (["--targets", file, "--shards", "4"], "JOB_COMPLETION_INDEX, which is not set"),
            (["--targets", file, "--parallel", "0"], "--parallel takes a number of targets from 1 to 1000"),
            (["--canary", "2"], "--canary works on a fleet"),
        ]
        for (arguments, message) in cases {
            let ending = try await RobotCommandLine.run(["run", "--steps", Tenants.steps] + arguments)
            #expect(ending.code == 2, "\(arguments): \(ending.stderr)")
            #expect(ending.stderr.contains(message), "\(arguments): \(ending.stderr)")
            #expect(!ending.stderr.contains(Self.secret))
        }
    }
}
