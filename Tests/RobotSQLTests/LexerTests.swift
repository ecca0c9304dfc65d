import RobotSQL
import Testing

/// `kind text` for every token, compact enough to compare whole token streams.
func rendered(_ source: String) throws -> [String] {
    try SQLLexer(source).tokens().map { "\($0.kind) \($0.text)" }
}

struct SingleTokenCase: Sendable, CustomTestStringConvertible {
    let source: String
    let kind: SQLToken.Kind
    let value: String
    var testDescription: String { source }
}

@Test(arguments: [
    SingleTokenCase(source: "select", kind: .word, value: "SELECT"),
    SingleTokenCase(source: "MixedCase_1", kind: .word, value: "MIXEDCASE_1"),
    SingleTokenCase(source: "a$b", kind: .word, value: "A$B"),
    SingleTokenCase(source: "café", kind: .word, value: "CAFé"),
    SingleTokenCase(source: "\"My \"\"Table\"\"\"", kind: .quotedIdentifier, value: "My \"Table\""),
    SingleTokenCase(source: "U&\"d\\0061t\\+000061\"", kind: .quotedIdentifier, value: "data"),
    SingleTokenCase(source: "'it''s'", kind: .string, value: "it's"),
    SingleTokenCase(source: "'C:\\path\\'", kind: .string, value: "C:\\path\\"),
    SingleTokenCase(source: "'-- not a comment; /* nor this */'", kind: .string, value: "-- not a comment; /* nor this */"),
    SingleTokenCase(source: "E'it\\'s\\n\\x41\\101\\u00e9'", kind: .string, value: "it's\nAAé"),
    SingleTokenCase(source: "e'\\U0001F600 ok'", kind: .string, value: "😀 ok"),
    SingleTokenCase(source: "U&'d\\0061t\\+000061'", kind: .string, value: "data"),
    SingleTokenCase(source: "U&'d!0061t!!' UESCAPE '!'", kind: .string, value: "dat!"),
    SingleTokenCase(source: "B'1010'", kind: .string, value: "1010"),
    SingleTokenCase(source: "x'1F'", kind: .string, value: "1F"),
    SingleTokenCase(source: "N'national'", kind: .string, value: "national"),
    SingleTokenCase(source: "$$it's; /* body */$$", kind: .dollarString, value: "it's; /* body */"),
    SingleTokenCase(source: "$fn$ $$ inner $$ $fn$", kind: .dollarString, value: " $$ inner $$ "),
    SingleTokenCase(source: "$a$ x$b$ $a$", kind: .dollarString, value: " x$b$ "),
    SingleTokenCase(source: "42", kind: .number, value: "42"),
    SingleTokenCase(source: "3.14", kind: .number, value: "3.14"),
    SingleTokenCase(source: ".5", kind: .number, value: ".5"),
    SingleTokenCase(source: "1e10", kind: .number, value: "1e10"),
    SingleTokenCase(source: "2.5E-3", kind: .number, value: "2.5E-3"),
    SingleTokenCase(source: "0x1F", kind: .number, value: "0x1F"),
    SingleTokenCase(source: "0b1010", kind: .number, value: "0b1010"),
    SingleTokenCase(source: "1_000_000", kind: .number, value: "1_000_000"),
    SingleTokenCase(source: "$1", kind: .parameter, value: "$1"),
    SingleTokenCase(source: "$12", kind: .parameter, value: "$12"),
    SingleTokenCase(source: "::", kind: .operator, value: "::"),
    SingleTokenCase(source: ":=", kind: .operator, value: ":="),
    SingleTokenCase(source: "=>", kind: .operator, value: "=>"),
    SingleTokenCase(source: "<>", kind: .operator, value: "<>"),
    SingleTokenCase(source: "@-", kind: .operator, value: "@-"),
    SingleTokenCase(source: "-- comment; with 'quote'", kind: .lineComment, value: "-- comment; with 'quote'"),
    SingleTokenCase(source: "/* outer /* inner; */ 'still' */", kind: .blockComment, value: "/* outer /* inner; */ 'still' */"),
])
func lexesOneToken(_ testCase: SingleTokenCase) throws {
    let tokens = try SQLLexer(testCase.source).tokens()
    try #require(tokens.count == 1)
    #expect(tokens[0].kind == testCase.kind)
    #expect(tokens[0].text == testCase.source[...])
    #expect(tokens[0].value == testCase.value)
}

@Test(arguments: [
    ("1--2", ["number 1", "lineComment --2"]),
    ("a+-b", ["word a", "operator +", "operator -", "word b"]),
    ("a @- b", ["word a", "operator @-", "word b"]),
    ("x*/*c*/y", ["word x", "operator *", "blockComment /*c*/", "word y"]),
    ("a::text", ["word a", "operator ::", "word text"]),
    ("f(a => 1)", ["word f", "punctuation (", "word a", "operator =>", "number 1", "punctuation )"]),
    ("arr[1:2]", ["word arr", "punctuation [", "number 1", "punctuation :", "number 2", "punctuation ]"]),
    ("s.t", ["word s", "punctuation .", "word t"]),
    ("1..10", ["number 1", "operator ..", "number 10"]),
    ("a<=b", ["word a", "operator <=", "word b"]),
    ("$1+$2", ["parameter $1", "operator +", "parameter $2"]),
    ("SeLeCt\t1 ,\n  2", ["word SeLeCt", "number 1", "punctuation ,", "number 2"]),
    ("E'\\\\' 'x'", ["string E'\\\\'", "string 'x'"]),
    ("'a' -- c\n'b'", ["string 'a'", "lineComment -- c", "string 'b'"]),
    ("U&'x' uescape_col", ["string U&'x'", "word uescape_col"]),
])
func lexesTokenStream(_ source: String, _ expected: [String]) throws {
    #expect(try rendered(source) == expected)
}

@Test func wordHelpers() throws {
    let tokens = try SQLLexer("Create /* c */ \"create\"").tokens()
    #expect(tokens[0].isWord("CREATE"))
    #expect(tokens[0].isWord("create"))
    #expect(!tokens[0].isWord("creat"))
    #expect(tokens[1].isComment)
    #expect(!tokens[2].isWord("create"))
    #expect(tokens[0].dollarTag == nil && tokens[0].bodyStart == nil)
}

struct UnterminatedCase: Sendable, CustomTestStringConvertible {
    let source: String
    let kind: SQLSyntaxError.Kind
    let location: String
    var testDescription: String { source }
}

@Test(arguments: [
    UnterminatedCase(source: "SELECT 1;\nSELECT 'abc", kind: .unterminatedString, location: "2:8"),
    UnterminatedCase(source: "SELECT\n  E'it\\'s", kind: .unterminatedString, location: "2:3"),
    UnterminatedCase(source: "SELECT 'x', U&'d\\0061", kind: .unterminatedString, location: "1:13"),
    UnterminatedCase(source: "SELECT \"col", kind: .unterminatedQuotedIdentifier, location: "1:8"),
    UnterminatedCase(source: "DO $body$\nBEGIN\n", kind: .unterminatedDollarQuote(tag: "body"), location: "1:4"),
    UnterminatedCase(source: "\n\n  DO $$ BEGIN $x$ $x$", kind: .unterminatedDollarQuote(tag: ""), location: "3:6"),
    UnterminatedCase(source: "SELECT 1 /* a /* b */\n", kind: .unterminatedBlockComment, location: "1:10"),
    UnterminatedCase(source: "SELECT 1;\n\\connect other", kind: .psqlMetaCommand("\\connect"), location: "2:1"),
    UnterminatedCase(source: "  \\i setup.sql", kind: .psqlMetaCommand("\\i"), location: "1:3"),
    UnterminatedCase(source: "SELECT {1}", kind: .unexpectedCharacter("{"), location: "1:8"),
    UnterminatedCase(source: "SELECT $ 1", kind: .unexpectedCharacter("$"), location: "1:8"),
])
func reportsWhereTheProblemOpens(_ testCase: UnterminatedCase) {
    #expect {
        _ = try SQLLexer(testCase.source).tokens()
    } throws: { error in
        guard let error = error as? SQLSyntaxError else { return false }
        return error.kind == testCase.kind && error.location.description == testCase.location
    }
}

@Test func errorDescriptionSaysWhereAndWhatToDo() throws {
    let source = "SELECT 1;\n\nDO\n    $body$ BEGIN PERFORM 1; END"
    let error = try #require(throws: SQLSyntaxError.self) { try SQLLexer(source).tokens() }
    #expect(error.description == "4:5: unterminated dollar-quoted string $body$ opens here and is never closed; close it with $body$")
    let meta = try #require(throws: SQLSyntaxError.self) { try SQLLexer("\\connect db").tokens() }
    #expect(meta.description.contains("psql meta-command, not SQL; remove it"))
}
