import Foundation
import Logging
import MaintenanceRobot
import RobotTestSupport
import Subprocess
import Testing
import ThrowawayPostgres

/// The `robot` command as a process: exit statuses, concurrency, interruption, secrecy.
@Suite(.timeLimit(.minutes(5))) struct RobotCommandTests {
    /// A fresh database's URL, carrying a password that must never be printed.
    static func freshURL(_ label: String = #function) async throws -> (url: String, settings: ConnectionSettings) {
        var settings = try await TestCluster.freshDatabase(label)
        settings.password = Self.secret
        return ("postgres://\(settings.username):\(Self.secret)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable", settings)
    }

    static let secret = "s3cr3t-Pa55w0rd"

    static func value(_ sql: String, on settings: ConnectionSettings) async throws -> String? {
        try await TestQueries.value(sql, on: settings)
    }

    @Test func runThenStatusThenWarmRun() async throws {
        let (url, settings) = try await Self.freshURL()
        let steps = RobotProcess.steps("house-style")
        let first = try await RobotProcess.run(["run", "--steps", steps], environment: ["DATABASE_URL": url])
        #expect(first.code == 0, "\(first.output)")
        #expect(first.stdout.contains("8 applied"))
        // `--steps=dir` and the directory as the first argument work as well.
        let warm = try await RobotProcess.run(["run", "--json", "--steps=\(steps)"], environment: ["DATABASE_URL": url])
        #expect(warm.code == 0)
        let report = try JSONDecoder.iso8601.decode(RunReport.self, from: Data(warm.stdout.utf8))
        #expect(report.count(.skipped) == 8)
        let positional = try await RobotProcess.run(["run", steps], environment: ["DATABASE_URL": url])
        #expect(positional.code == 0 && positional.stdout.contains("8 skipped"), "\(positional.output)")
        let status = try await RobotProcess.run(["status", steps], environment: ["DATABASE_URL": url])
        #expect(status.stdout.contains("8 applied"), "\(status.output)")
        let twice = try await RobotProcess.run(["run", steps, "--steps", "elsewhere"], environment: ["DATABASE_URL": url])
        #expect(twice.code == 2 && twice.stderr.contains("given twice"), "\(twice.output)")
        // The library's message says what is wrong; the command adds the option that fixes it.
        let missing = try await RobotProcess.run(["run", "/nonexistent/steps"], environment: ["DATABASE_URL": url])
        #expect(missing.code == 2 && missing.stderr.contains("no such step directory"), "\(missing.output)")
        #expect(missing.stderr.contains("(--steps DIR, or the directory as the first argument)"), "\(missing.output)")
        #expect(try await Self.value("SELECT count(*) FROM credential_types", on: settings) == "4")
    }

    @Test(arguments: [(Signal.terminate, 143), (Signal.interrupt, 130)] as [(Signal, Int32)])
    func aSignalDuringTheLockWaitEndsTheRunWithinTwoSecondsHoldingNoLock(signal: Signal, code: Int32) async throws {
        let (url, settings) = try await Self.freshURL("signal_\(code)")
        let holder = try await TestQueries.holdRobotLock(on: settings)
        // The holder and the robot, besides the backend that asks.
        let robots = """
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name = 'maintenance-robot' AND datname = current_database() AND pid <> pg_backend_pid()
            """
        let (status, afterSignal) = try await RobotProcess.runAndSignal(
            ["run", RobotProcess.steps("house-style"), "--lock-wait", "60"], environment: ["DATABASE_URL": url], signal: signal
        ) {
            guard try await Self.value(robots, on: settings) == "2" else { return false }
            // Connected; its first try of the lock comes right after.
            try await Task.sleep(for: .milliseconds(300))
            return true
        }
        #expect(status == .exited(code))
        #expect(afterSignal < .seconds(2), "exited \(afterSignal) after the signal")
        #expect(try await Self.value(robots, on: settings) == "1", "only the holder is left")
        #expect(try await Self.value("SELECT to_regclass('credential_types')::text", on: settings) == nil, "nothing ran")
        await holder.release()
    }

    @Test func eightRobotsStartedTogetherApplyEveryStepExactlyOnce() async throws {
        let (url, settings) = try await Self.freshURL()
        let results = try await withThrowingTaskGroup(of: RobotProcess.Result.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await RobotProcess.run(["run", "--steps", RobotProcess.steps("house-style")], environment: ["DATABASE_URL": url])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result.code == 0, "\(result.output)") }
        #expect(try await Self.value("SELECT count(*) FROM maintenance_robot.steps WHERE attempts = 1 AND status = 'applied'", on: settings) == "8")
        #expect(try await Self.value("SELECT sum(applied) FROM maintenance_robot.runs", on: settings) == "8")
        #expect(try await Self.value("SELECT count(*) FROM maintenance_robot.runs", on: settings) == "8")
        #expect(try await Self.value("SELECT count(*) FROM oauth_providers", on: settings) == "4")
    }

    @Test func killedMidStepThenRunAgainEndsLikeAnUninterruptedRun() async throws {
        let (url, settings) = try await Self.freshURL()
        let steps = RobotProcess.steps("interruptible")
        let (killed, _) = try await RobotProcess.runAndSignal(["run", "--steps", steps], environment: ["DATABASE_URL": url]) {
            try await Self.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()", on: settings) == "1"
        }
        #expect(killed == .signaled(SIGKILL))
        #expect(try await Self.value("SELECT to_regclass('backfill')::text", on: settings) == nil, "the killed step left nothing")
        let again = try await RobotProcess.run(["run", "--steps", steps], environment: ["DATABASE_URL": url])
        #expect(again.code == 0, "\(again.output)")

        let (referenceURL, referenceSettings) = try await Self.freshURL("reference")
        let reference = try await RobotProcess.run(["run", "--steps", steps], environment: ["DATABASE_URL": referenceURL])
        #expect(reference.code == 0)
        let shape = "SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'"
        #expect(try await Self.value(shape, on: settings) == Self.value(shape, on: referenceSettings))
        #expect(try await Self.value("SELECT count(*) FROM backfill", on: settings) == "1000")
        #expect(try await Self.value("SELECT string_agg(status || attempts, ',' ORDER BY position) FROM maintenance_robot.steps", on: settings)
                == "applied1,applied1,applied1")
    }

    @Test func exitStatusesAreTheDocumentedOnes() async throws {
        let (url, _) = try await Self.freshURL()
        let environment = ["DATABASE_URL": url]
        let critical = try await RobotProcess.run(["run", "--steps", RobotProcess.steps("broken-critical")], environment: environment)
        #expect(critical.code == 1, "\(critical.output)")
        #expect(critical.stderr.contains("critical step 2"))
        let soft = try await RobotProcess.run(["run", "--steps", RobotProcess.steps("soft-failure")], environment: environment)
        #expect(soft.code == 0, "\(soft.output)")
        #expect(soft.stdout.contains("degraded"))
        let strict = try await RobotProcess.run(["run", "--strict", "--steps", RobotProcess.steps("soft-failure")], environment: environment)
        #expect(strict.code == 1)
        let broken = try await RobotProcess.run(["run", "--steps", "/no/such/dir"], environment: environment)
        #expect(broken.code == 2)
        #expect(broken.stderr.contains("no such step directory"))
        let unlexable = try await RobotProcess.run(["run", "--steps", RobotProcess.steps("unlexable")], environment: environment)
        #expect(unlexable.code == 2, "\(unlexable.output)")
        #expect(unlexable.stderr.contains("0002_seed_note.sql:2:41"), "\(unlexable.output)")
        #expect(unlexable.stderr.contains("nothing ran"), "\(unlexable.output)")
        let usage = try await RobotProcess.run(["run", "--no-such-flag"], environment: environment)
        #expect(usage.code == 2)
        let port = try ThrowawayCluster.freePort()
        let unreachable = try await RobotProcess.run(
            ["run", "--steps", RobotProcess.steps("house-style"), "--connect-timeout", "1"],
            environment: ["DATABASE_URL": "postgres://app:\(Self.secret)@127.0.0.1:\(port)/app"])
        #expect(unreachable.code == 3, "\(unreachable.output)")
        // A broken step directory is reported at once, without waiting for an unreachable database.
        let started = ContinuousClock.now
        let brokenAndUnreachable = try await RobotProcess.run(
            ["run", "--steps", "/no/such/dir", "--connect-timeout", "30"],
            environment: ["DATABASE_URL": "postgres://app:\(Self.secret)@127.0.0.1:\(port)/app"])
        #expect(brokenAndUnreachable.code == 2, "\(brokenAndUnreachable.output)")
        #expect(ContinuousClock.now - started < .seconds(10), "\(brokenAndUnreachable.output)")
        for command in ["run", "status", "new", "demo"] {
            let help = try await RobotProcess.run([command, "--help"])
            #expect(help.code == 0)
            #expect(help.stdout.contains("Example"))
        }
    }

    @Test func thePasswordIsNeverPrinted() async throws {
        let (url, _) = try await Self.freshURL()
        let port = try ThrowawayCluster.freePort()
        let missingDatabase = url.replacingOccurrences(of: "/t_", with: "/missing_t_")
        let runs: [([String], String)] = [
            (["run", "--steps", RobotProcess.steps("house-style"), "--log-level", "trace"], url),
            (["run", "--steps", RobotProcess.steps("house-style"), "--json", "--heal"], url),
            (["run", "--steps", RobotProcess.steps("broken-critical"), "--log-level", "debug"], url),
            (["status", "--steps", RobotProcess.steps("house-style"), "--json"], url),
            (["run", "--steps", RobotProcess.steps("house-style"), "--connect-timeout", "1", "--log-level", "trace"],
             "postgres://app:\(Self.secret)@127.0.0.1:\(port)/app"),
            (["run", "--steps", RobotProcess.steps("house-style"), "--log-level", "trace"], missingDatabase),
            (["run", "--steps", RobotProcess.steps("house-style")], "postgres://app:\(Self.secret)@127.0.0.1:99999/app"),
            (["run", "--steps", RobotProcess.steps("house-style")], url + "&bogus=1"),
        ]
        for (arguments, databaseURL) in runs {
            let result = try await RobotProcess.run(arguments, environment: ["DATABASE_URL": databaseURL])
            #expect(!result.output.contains(Self.secret), "\(arguments): \(result.output)")
            #expect(!result.output.isEmpty)
        }
    }

    @Test func newAppendsALintableTemplate() async throws {
        let directory = NSTemporaryDirectory() + "robot-new-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await RobotProcess.run(["new", "Create tenants table (v1.0 Update)", "--critical", "--steps", directory])
        #expect(first.code == 0)
        #expect(first.stdout.contains("0001_create_tenants_table.sql"))
        let second = try await RobotProcess.run(["new", "Add owner email (v1.1 Update)", "--steps", directory])
        #expect(second.stdout.contains("0002_add_owner_email.sql"))
        let (url, _) = try await Self.freshURL()
        let run = try await RobotProcess.run(["run", "--steps", directory], environment: ["DATABASE_URL": url])
        #expect(run.code == 0, "\(run.output)")
        #expect(run.stdout.contains("has no SQL yet"))
    }

    @Test func demoRunsFromStartToCleanUp() async throws {
        let demo = try await RobotProcess.run(["demo"], timeout: .seconds(120))
        #expect(demo.code == 0, "\(demo.output)")
        #expect(demo.stdout.contains("8 applied"))
        #expect(demo.stdout.contains("8 skipped"))
        #expect(demo.stdout.contains("removed"))
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
