/// A place in a Python file: the 1-based line, and the 1-based column counted in characters (Unicode scalars),
/// as Python counts them in its own error messages.
public struct PythonLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: PythonLocation, rhs: PythonLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `12:9`
    public var description: String { "\(line):\(column)" }
}
