extension String {
    /// The string as an escape-string literal (`E'…'`), which reads the same whatever the server's
    /// `standard_conforming_strings` is: for statements that cannot take bind parameters.
    var sqlLiteral: String {
        // By Unicode scalar: a quote followed by a combining mark is one Character, and must still be doubled.
        var literal = "E'"
        for scalar in unicodeScalars {
            switch scalar {
            case "'": literal += "''"
            case "\\": literal += "\\\\"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "'"
    }
}
