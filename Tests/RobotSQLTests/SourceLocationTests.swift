import RobotSQL
import Testing

@Test func sourceLocationPrintsLineAndColumn() {
    #expect(SourceLocation(line: 3, column: 7, scalarOffset: 20, utf8Offset: 22).description == "3:7")
}
