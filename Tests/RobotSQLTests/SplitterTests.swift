import RobotSQL
import Testing

func sqlOf(_ source: String) throws -> [String] {
    try SQLStatementSplitter.split(source).map(\.sql)
}

@Test(arguments: [
    ("SELECT 1; SELECT 2;", ["SELECT 1", "SELECT 2"]),
    ("SELECT 1;;  ; SELECT 2", ["SELECT 1", "SELECT 2"]),
    ("SELECT 'a;b'; SELECT \"c;d\"", ["SELECT 'a;b'", "SELECT \"c;d\""]),
    ("SELECT E'x\\';y'; SELECT 2", ["SELECT E'x\\';y'", "SELECT 2"]),
    ("SELECT 1 /* ; ' */ + 1; -- tail; 'x'\n", ["SELECT 1 /* ; ' */ + 1"]),
    ("  sElEcT\t1\n\n   ,2  ;\n\tInSeRt  INTO t VALUES(1)", ["sElEcT\t1\n\n   ,2", "InSeRt  INTO t VALUES(1)"]),
    ("BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;", ["BEGIN", "UPDATE t SET a = 1", "COMMIT"]),
    ("CREATE INDEX CONCURRENTLY idx ON t (a);\nANALYZE t;", ["CREATE INDEX CONCURRENTLY idx ON t (a)", "ANALYZE t"]),
    ("-- only a comment;\n/* and another; */", []),
    ("", []),
    ("SELECT 1 -- trailing note\n;", ["SELECT 1 -- trailing note"]),
])
func splitsAtTopLevelSemicolons(_ source: String, _ expected: [String]) throws {
    #expect(try sqlOf(source) == expected)
}

@Test func doBlockWithNestedDollarQuotesIsOneStatement() throws {
    let source = """
        DO $do$
        BEGIN
          EXECUTE $sql$ SELECT ';' $sql$;
          PERFORM $$ nested; $$;
        END
        $do$;
        SELECT 2;
        """
    let statements = try SQLStatementSplitter.split(source)
    #expect(statements.count == 2)
    #expect(statements[0].sql.hasPrefix("DO $do$") && statements[0].sql.hasSuffix("$do$"))
    #expect(statements[1].sql == "SELECT 2")
    #expect(statements[1].start.description == "7:1")
}

@Test func functionWithFnBodyContainingDoubleDollars() throws {
    let source = """
        CREATE OR REPLACE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$
        BEGIN
          RETURN $$a;b$$;
        END;
        $fn$;
        SELECT f();
        """
    #expect(try sqlOf(source).count == 2)
}

@Test func beginAtomicBodyWithCaseIsOneStatement() throws {
    let source = """
        CREATE OR REPLACE FUNCTION grade(score int) RETURNS text
        LANGUAGE sql
        BEGIN ATOMIC
          SELECT CASE WHEN score > 90 THEN 'A' ELSE 'B' END;
          SELECT (CASE score WHEN 1 THEN 'x' END);
        END;
        create procedure p() begin atomic insert into t values (1); end;
        SELECT grade(95);
        """
    let statements = try sqlOf(source)
    #expect(statements.count == 3)
    #expect(statements[0].hasSuffix("END);\nEND"))
    #expect(statements[1] == "create procedure p() begin atomic insert into t values (1); end")
    #expect(statements[2] == "SELECT grade(95)")
}

@Test func unterminatedAtomicBodyPointsAtBegin() {
    let source = "SELECT 1;\nCREATE FUNCTION f() RETURNS int\n  BEGIN ATOMIC\n  SELECT 1;\n"
    let error = #expect(throws: SQLSyntaxError.self) { try SQLStatementSplitter.split(source) }
    #expect(error?.kind == .unterminatedAtomicBody)
    #expect(error?.location.description == "3:3")
}

@Test func leadingCommentsBelongToTheNextStatement() throws {
    let source = "SELECT 1;\n-- robot:allow LOCK reason\nALTER TABLE t ADD c int;"
    let statements = try SQLStatementSplitter.split(source)
    #expect(statements[1].tokens.first?.kind == .lineComment)
    #expect(statements[1].tokens.first?.text == "-- robot:allow LOCK reason")
    #expect(statements[1].sql == "ALTER TABLE t ADD c int")
    #expect(statements[1].start.description == "3:1")
    #expect(statements[1].significantTokens.count == 6)
    #expect(!statements[1].tokens.contains { $0.text == ";" })
}

@Test func statementSqlIsASliceOfTheSourceWithLocations() throws {
    let source = "-- é\r\nSELECT 'ü;'\r\n  FROM t;\r\nSELECT 2"
    let statements = try SQLStatementSplitter.split(source)
    #expect(statements.map(\.sql) == ["SELECT 'ü;'\r\n  FROM t", "SELECT 2"])
    #expect(statements[0].start == SourceLocation(line: 2, column: 1, scalarOffset: 6, utf8Offset: 7))
    #expect(statements[0].end.description == "3:9")
    #expect(statements[1].start.description == "4:1")
    for statement in statements {
        let utf8 = Array(source.utf8)[statement.start.utf8Offset..<statement.end.utf8Offset]
        #expect(String(decoding: utf8, as: UTF8.self) == statement.sql)
    }
}

@Test(arguments: [
    (1, "2:1"),
    (8, "2:8"),
    (10, "2:10"),  // after 'ü', still one column per character
    (14, "3:1"),  // after "\r\n", which is two characters
    (16, "3:3"),
    (0, "2:1"),
    (-4, "2:1"),
    (999, "3:9"),
])
func mapsServerErrorPositions(_ position: Int, _ expected: String) throws {
    let source = "-- é\r\nSELECT 'ü;'\r\n  FROM t;"
    let statement = try #require(try SQLStatementSplitter.split(source).first)
    #expect(statement.location(ofCharacterPosition: position).description == expected)
}

@Test func mappedPositionKeepsOffsetsRight() throws {
    let statement = try #require(try SQLStatementSplitter.split("SELECT 'ü', x").first)
    #expect(statement.location(ofCharacterPosition: 13) == SourceLocation(line: 1, column: 13, scalarOffset: 12, utf8Offset: 13))
}

@Test func splitterHonoursOrigin() throws {
    let origin = SourceLocation(line: 5, column: 3, scalarOffset: 40, utf8Offset: 44)
    let statements = try SQLStatementSplitter.split("x;\n  y", origin: origin)
    #expect(statements.map(\.sql) == ["x", "y"])
    #expect(statements[1].start == SourceLocation(line: 6, column: 3, scalarOffset: 45, utf8Offset: 49))
}

/// One generated step of four lines with every kind of literal and comment, and semicolons inside them.
private func generatedStep(_ index: Int) -> String {
    """
    -- step \(index): é 日本 😀; 'quoted'
    CREATE TABLE IF NOT EXISTS "t_\(index)" (id bigint PRIMARY KEY, note text DEFAULT E'it\\'s; fine');
    DO $do$ BEGIN PERFORM $$;$$; /* ; */ END $do$;
    UPDATE t SET a = a + 1, b = 'x;y' WHERE id = $1 AND c::text <> '' ;

    """
}

@Test func lexesAndSplitsTwoMegabytesOfGeneratedSQL() throws {
    let count = 20_000
    var source = ""
    for index in 0..<count {
        source += generatedStep(index)
    }
    #expect(source.utf8.count > 2_000_000)
    let tokens = try SQLLexer(source).tokens()
    #expect(tokens.count == count * 45)
    let statements = try SQLStatementSplitter.split(source)
    #expect(statements.count == count * 3)
    let last = try #require(statements.last)
    #expect(last.sql == "UPDATE t SET a = a + 1, b = 'x;y' WHERE id = $1 AND c::text <> ''")
    #expect(last.start.line == count * 4)
    #expect(last.tokens.count == 22)
}
