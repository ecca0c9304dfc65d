@testable import RobotImport
import Testing

/// Dedenting as Python's `textwrap.dedent`, and only where it changes nothing PostgreSQL keeps.
@Suite struct DedentTests {
    @Test(arguments: [
        ("    a\n    b\n", "a\nb\n"),
        ("    a\n      b\n    ", "a\n  b\n"),
        ("  a\n\n  b", "a\n\nb"),
        ("\ta\n\t\tb", "a\n\tb"),
        ("  a\n\tb", "  a\n\tb"),
        ("a\n    b", "a\n    b"),
        ("    a\n  \n    b", "a\n\nb"),
        ("", ""),
    ])
    func dedentsAsTextwrapDoes(text: String, dedented: String) {
        #expect(Dedent.dedent(text) == dedented)
    }

    @Test func dropsTheLineBreakAfterTheOpeningQuotesOnlyWhenAsked() {
        #expect(Dedent.stepSQL("\n    SELECT 1;\n    ", dropsLeadingLineBreak: true) == ("SELECT 1;\n", true))
        #expect(Dedent.stepSQL("\n    SELECT 1;\n    ", dropsLeadingLineBreak: false) == ("\nSELECT 1;\n", true))
    }

    @Test func dedentsDoBlocksButNotFunctionBodiesOrStoredStrings() {
        let doBlock = "    DO $$\n    BEGIN\n        PERFORM 1;\n    END $$;\n"
        #expect(Dedent.stepSQL(doBlock, dropsLeadingLineBreak: false) == ("DO $$\nBEGIN\n    PERFORM 1;\nEND $$;\n", true))
        let function = "    CREATE FUNCTION f() RETURNS int AS $$\n        SELECT 1\n    $$ LANGUAGE sql;\n"
        #expect(Dedent.stepSQL(function, dropsLeadingLineBreak: false) == (function, false))
        let seed = "    INSERT INTO help (text) VALUES ('first line\n    second line');\n"
        #expect(Dedent.stepSQL(seed, dropsLeadingLineBreak: false) == (seed, false))
        let insideDo = "    DO $$ BEGIN INSERT INTO help VALUES ('a\n    b'); END $$;\n"
        #expect(Dedent.stepSQL(insideDo, dropsLeadingLineBreak: false) == (insideDo, false))
    }
}
