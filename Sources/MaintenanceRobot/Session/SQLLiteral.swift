extension String {
    /// The string as an escape-string literal (`E'…'`), which reads the same whatever the server's
    /// `standard_conforming_strings` is: for statements that cannot take bind parameters.
    var sqlLiteral: String {
        // On UTF-8 bytes: a heal writes four literals per step.
        var literal = "E'"
        literal.reserveCapacity(utf8.count + 3)
        var start = utf8.startIndex
        for index in utf8.indices where utf8[index] == 0x27 || utf8[index] == 0x5C {
            literal += self[start..<index]
            literal += utf8[index] == 0x27 ? "''" : "\\\\"
            start = utf8.index(after: index)
        }
        literal += self[start...]
        literal += "'"
        return literal
    }
}
