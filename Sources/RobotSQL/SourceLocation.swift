/// A point in SQL source text.
///
/// Lines and columns are 1-based and count Unicode scalars, as PostgreSQL counts characters in a
/// UTF-8 database, so a position the server reports maps straight onto a location here.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, in Unicode scalars.
    public var column: Int
    /// The 0-based offset from the start of the source, in Unicode scalars.
    public var scalarOffset: Int
    /// The 0-based offset from the start of the source, in UTF-8 bytes.
    public var utf8Offset: Int

    public init(line: Int, column: Int, scalarOffset: Int, utf8Offset: Int) {
        self.line = line
        self.column = column
        self.scalarOffset = scalarOffset
        self.utf8Offset = utf8Offset
    }

    /// The start of a source: line 1, column 1.
    public static let start = SourceLocation(line: 1, column: 1, scalarOffset: 0, utf8Offset: 0)

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.utf8Offset < rhs.utf8Offset
    }

    /// `line:column`, as compilers print it.
    public var description: String { "\(line):\(column)" }
}
