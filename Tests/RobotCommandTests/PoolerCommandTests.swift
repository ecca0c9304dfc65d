import Foundation
import MaintenanceRobot
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// `robot run` through a real PgBouncer in transaction pooling.
@Suite(.timeLimit(.minutes(3))) struct PoolerCommandTests {
    /// A fresh database's URL (with a password, which must never be printed) through `bouncer`.
    static func url(through bouncer: ThrowawayPgBouncer, _ label: String = #function) async throws -> (url: String, settings: ConnectionSettings) {
        let (_, settings) = try await RobotCommandTests.freshURL(label)
        let url = "postgres://\(settings.username):\(RobotCommandTests.secret)@\(bouncer.host):\(bouncer.port)/\(settings.database)?sslmode=disable"
        return (url, settings)
    }

    @Test func eightRobotsThroughPgBouncerInPoolerModeApplyTheProbeOnce() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 3)
        defer { bouncer.stop() }
        let (url, settings) = try await Self.url(through: bouncer)
        let results = try await withThrowingTaskGroup(of: RobotProcess.Result.self) { group in
            for index in 0..<8 {
                // Half say it with the option, half with the environment.
                let (arguments, environment) = index.isMultiple(of: 2)
                    ? (["--pooler", "transaction"], ["DATABASE_URL": url])
                    : ([], ["DATABASE_URL": url, "ROBOT_POOLER": "transaction"])
                group.addTask { try await RobotProcess.run(["run", RobotProcess.steps("probe"), "--json"] + arguments, environment: environment) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            #expect(result.code == 0, "\(result.output)")
            #expect(!result.output.contains(RobotCommandTests.secret))
        }
        #expect(try await RobotCommandTests.value("SELECT count(*) FROM probe", on: settings) == "1")
        #expect(try await RobotCommandTests.value("SELECT string_agg(status || attempts, ',' ORDER BY position) FROM maintenance_robot.steps",
                                                  on: settings) == "applied1,applied1,applied1")
        #expect(try await RobotCommandTests.value("SELECT count(*) FROM maintenance_robot.runs", on: settings) == "8")
    }

    @Test func withoutPoolerModeARobotGivenALockedServerSessionNamesTheOption() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 1)
        defer { bouncer.stop() }
        let (url, settings) = try await Self.url(through: bouncer)
        // Another client's session lock stays on the one server session, which PgBouncer hands the robot next.
        let holder = try await TestQueries.holdRobotLock(on: bouncer.settings(for: settings))
        let result = try await RobotProcess.run(["run", RobotProcess.steps("probe")], environment: ["DATABASE_URL": url])
        await holder.release()
        #expect(result.code == 2, "\(result.output)")
        #expect(result.stderr.contains("connection pooler in transaction mode"), "\(result.stderr)")
        #expect(result.stderr.contains("--pooler transaction"), "\(result.stderr)")
        #expect(!result.output.contains(RobotCommandTests.secret))
        #expect(try await RobotCommandTests.value("SELECT to_regclass('probe')::text", on: settings) == nil, "nothing ran")
    }

    @Test(arguments: [(["--pooler", "sometimes"], [String: String]()), ([], ["ROBOT_POOLER": "session-ish"])])
    func anUnknownPoolerModeIsAUsageError(arguments: [String], environment: [String: String]) async throws {
        let result = try await RobotProcess.run(["run", RobotProcess.steps("probe")] + arguments,
                                                environment: environment.merging(["DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"]) { $1 })
        #expect(result.code == 2, "\(result.output)")
        #expect(result.stderr.contains("takes none or transaction"), "\(result.stderr)")
    }
}
