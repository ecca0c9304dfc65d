@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// Where a failure is reported when the error is raised inside a function the step calls (issue 17): at the
/// step's calling statement, never at the function's own line applied to the step's text.
@Suite(.timeLimit(.minutes(3))) struct FailurePositionTests {
    /// A step that creates the functions the cases call. Each fails at line 5 of its own body, which is a
    /// line of every calling step too, so a location taken from the function's context line is visibly wrong.
    static let functions = """
        CREATE FUNCTION raises() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          unused int;
        BEGIN
          RAISE EXCEPTION 'raised in raises()';
        END $$;
        CREATE FUNCTION divides() RETURNS int LANGUAGE plpgsql AS $$
        DECLARE
          zero int := 0;
        BEGIN
          RETURN 1 / zero;
        END $$;
        CREATE FUNCTION inserts() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          unused int;
        BEGIN
          INSERT INTO missing_table VALUES (1);
        END $$;
        CREATE FUNCTION nests() RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          unused int;
        BEGIN
          DO $nested$ BEGIN RAISE EXCEPTION 'raised in a DO block inside nests()'; END $nested$;
        END $$;
        CREATE FUNCTION labelled(label text, VARIADIC numbers int[]) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          unused int;
        BEGIN
          RAISE EXCEPTION 'raised in labelled(%)', label;
        END $$;
        CREATE FUNCTION counts() RETURNS int LANGUAGE sql VOLATILE AS $$
          SELECT 1;
          SELECT 1 / count(*)::int FROM pg_class WHERE false
        $$;
        """

    /// A failing statement, written from the calling step's line 2 on (line 1 is the path's own first
    /// statement), and the `line:column` the failure must be reported at.
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let sql: String
        let location: String
        var statement = 2
    }

    static let cases: [Case] = [
        // Raised in a function the step's DO block calls: the DO block's calling line.
        Case(testDescription: "PERFORM of a function that raises", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              PERFORM raises();
            END
            $$;
            """, location: "5:3"),
        Case(testDescription: "assignment from a function that divides by zero", sql: """
            DO $$
            DECLARE
              result int;
            BEGIN
              PERFORM 1;
              result := divides();
            END
            $$;
            """, location: "7:3"),
        Case(testDescription: "PERFORM of a function whose own statement has an internal position", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              PERFORM inserts();
            END
            $$;
            """, location: "5:3"),
        Case(testDescription: "PERFORM of a function that runs a DO block of its own", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              PERFORM nests();
            END
            $$;
            """, location: "5:3"),
        Case(testDescription: "PERFORM of an SQL-language function", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              PERFORM counts();
            END
            $$;
            """, location: "5:3"),
        Case(testDescription: "PERFORM of a function an earlier statement of the step creates", sql: """
            CREATE FUNCTION local_raise() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM 1;
              PERFORM 2;
              RAISE EXCEPTION 'raised in local_raise()';
            END $$;
            DO $$
            BEGIN
              PERFORM 1;
              PERFORM local_raise();
            END
            $$;
            """, location: "11:3", statement: 3),
        // Raised in a function a plain statement calls: the server gives no position, so the statement's start.
        Case(testDescription: "top-level SELECT with a dollar-quoted argument", sql: """
            SELECT labelled(
              $$first$$,
              1,
              2,
              3,
              4);
            """, location: "2:1"),
        Case(testDescription: "top-level SELECT of a function whose own statement has an internal position", sql: """
            SELECT 1,
              inserts();
            """, location: "2:1"),
        Case(testDescription: "top-level SELECT of an SQL-language function", sql: "SELECT counts();", location: "2:1"),
        // Raised by the step's own text, as before.
        Case(testDescription: "RAISE in the DO block", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              RAISE EXCEPTION 'raised in the block';
            END
            $$;
            """, location: "5:3"),
        Case(testDescription: "missing table in the DO block", sql: """
            DO $$
            BEGIN
              PERFORM 1;
              INSERT INTO missing_table VALUES (1);
            END
            $$;
            """, location: "5:15"),
        Case(testDescription: "division by zero in a loop of the DO block", sql: """
            DO $$
            BEGIN
              FOR i IN 1..2 LOOP
                PERFORM 1 / (2 - i - 1);
              END LOOP;
            END
            $$;
            """, location: "5:5"),
        Case(testDescription: "division by zero initialising a variable of the DO block", sql: """
            DO $$
            DECLARE
              y int := 1 / 0;
            BEGIN
              PERFORM y;
            END
            $$;
            """, location: "4:3"),
        Case(testDescription: "unknown column in a top-level SELECT", sql: "SELECT nosuch FROM pg_class;", location: "2:8"),
    ]

    /// How the runner sends the calling step; the same context shapes arrive on each, with or without the
    /// robot's own block lines.
    enum Path: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// One DO block that EXECUTEs each statement.
        case block
        /// Between BEGIN and COMMIT, one statement at a time (a step that sets its own timeouts).
        case statementByStatement
        /// No transaction (`robot:no-transaction`).
        case noTransaction

        var testDescription: String { rawValue }

        var firstLine: String {
            self == .statementByStatement ? "SET statement_timeout = '1min';" : "SELECT 1;"
        }
    }

    @Test("the failure is reported at the step's statement that raised or called", arguments: cases, Path.allCases)
    func failureLocation(_ failing: Case, path: Path) async throws {
        let db = try await Scratch.make()
        let steps = [
            Step("Create functions", id: nil, critical: false, transaction: true, sql: Self.functions,
                 origin: .file(path: "steps/0001_functions.sql")),
            Step("Call them", id: nil, critical: false, transaction: path != .noTransaction,
                 sql: path.firstLine + "\n" + failing.sql, origin: .file(path: "steps/0002_call.sql")),
        ]
        let report = try await db.run(steps)
        #expect(report.steps.map(\.status) == [.applied, .failed])
        let failure = try #require(report.steps[1].failure)
        #expect(failure.statement == failing.statement)
        #expect(failure.location == "steps/0002_call.sql:\(failing.location)",
                "\(failure.message)\ncontext: \(failure.context ?? "none")")
    }
}
