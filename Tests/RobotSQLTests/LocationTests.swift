import RobotSQL
import Testing

@Test func locationsCountScalarsAndBytesAfterMultiByteCharacters() throws {
    let source = "SELECT 'é日本😀' /* ü */ AS x"
    let tokens = try SQLLexer(source).tokens()
    let string = tokens[1]
    #expect(string.start == SourceLocation(line: 1, column: 8, scalarOffset: 7, utf8Offset: 7))
    // 'é日本😀' is 6 scalars and 2 + 2 + 3 + 3 + 4 = 14 bytes.
    #expect(string.end == SourceLocation(line: 1, column: 14, scalarOffset: 13, utf8Offset: 21))
    let comment = tokens[2]
    #expect(comment.end == SourceLocation(line: 1, column: 22, scalarOffset: 21, utf8Offset: 30))
    let alias = tokens[4]
    #expect(alias.start == SourceLocation(line: 1, column: 26, scalarOffset: 25, utf8Offset: 34))
    #expect(alias.text == "x")
}

@Test(arguments: [
    ("a\nb\nc", ["1:1", "2:1", "3:1"]),
    ("a\r\nb\r\nc", ["1:1", "2:1", "3:1"]),
    ("a\rb\r\rc", ["1:1", "2:1", "4:1"]),
    ("a /* x\r\ny */ b", ["1:1", "1:3", "2:6"]),
    ("'multi\nline' b", ["1:1", "2:7"]),
])
func countsLineBreaks(_ source: String, _ starts: [String]) throws {
    #expect(try SQLLexer(source).tokens().map(\.start.description) == starts)
}

@Test func crlfOffsetsCountBothBytes() throws {
    let tokens = try SQLLexer("SELECT 1;\r\nSELECT 2;").tokens()
    #expect(tokens[3].start == SourceLocation(line: 2, column: 1, scalarOffset: 11, utf8Offset: 11))
}

@Test func originShiftsEveryLocation() throws {
    let origin = SourceLocation(line: 10, column: 5, scalarOffset: 100, utf8Offset: 120)
    let tokens = try SQLLexer("a é\nb", origin: origin).tokens()
    #expect(tokens[0].start == origin)
    #expect(tokens[1].start == SourceLocation(line: 10, column: 7, scalarOffset: 102, utf8Offset: 122))
    #expect(tokens[2].start == SourceLocation(line: 11, column: 1, scalarOffset: 104, utf8Offset: 125))
}

@Test func relexingADollarBodyKeepsPositionsInTheFile() throws {
    let source = "-- é\nDO $do$\nBEGIN\n  PERFORM 'ü'; -- x\nEND $do$;"
    let dollar = try #require(try SQLLexer(source).tokens().first { $0.kind == .dollarString })
    #expect(dollar.dollarTag == "do")
    let bodyStart = try #require(dollar.bodyStart)
    #expect(bodyStart == SourceLocation(line: 2, column: 8, scalarOffset: 12, utf8Offset: 13))
    let inner = try SQLLexer(dollar.value, origin: bodyStart).tokens()
    let perform = try #require(inner.first { $0.isWord("perform") })
    #expect(perform.start.description == "4:3")
    let string = try #require(inner.first { $0.kind == .string })
    #expect(string.start == SourceLocation(line: 4, column: 11, scalarOffset: 29, utf8Offset: 30))
    // The same location the whole file's bytes give.
    let utf8 = Array(source.utf8)
    #expect(utf8[string.start.utf8Offset] == UInt8(ascii: "'"))
    #expect(Array(source.unicodeScalars)[string.start.scalarOffset] == "'")
}

@Test func emptyDollarTagHasEmptyNameAndBodyAfterTwoDollars() throws {
    let token = try #require(try SQLLexer("  $$x$$").tokens().first)
    #expect(token.dollarTag == "")
    #expect(token.bodyStart?.description == "1:5")
    #expect(token.value == "x")
}
