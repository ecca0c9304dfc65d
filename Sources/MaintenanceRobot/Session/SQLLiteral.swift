extension String {
    /// The string as an escape-string literal (`E'…'`), which reads the same whatever the server's
    /// `standard_conforming_strings` is: for statements that cannot take bind parameters.
    var sqlLiteral: String {
        "E'" + replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
