import Foundation
import MaintenanceRobot
import RobotSQL

/// The `ON CONFLICT (columns)` targets of the catalogue's `INSERT`s, per table, read with the project's lexer
/// (`DO $$ … $$` bodies included): the keys the catalogue itself finds its seed rows by.
enum ConflictTargets {
    /// Table name (unquoted, without `public.`) → the column lists its inserts name in `ON CONFLICT (…)`.
    static func scan(_ catalogue: Catalogue) -> [String: [[String]]] {
        var targets: [String: [[String]]] = [:]
        for step in catalogue.steps where step.sql.range(of: "conflict", options: .caseInsensitive) != nil {
            for statement in step.statements { collect(statement.tokens, into: &targets) }
        }
        return targets
    }

    private static func collect(_ tokens: [SQLToken], into targets: inout [String: [[String]]]) {
        let view = TokenView(tokens)
        var table: String?
        var index = 0
        while index < view.tokens.count {
            let token = view.tokens[index]
            if token.kind == .dollarString, let inner = try? SQLLexer(token.value).tokens() {
                collect(inner, into: &targets)
            } else if view.matches(index, "INSERT", "INTO"), let name = view.qualifiedName(at: index + 2) {
                table = name.name
                index = name.next
                continue
            } else if let inserting = table, view.matches(index, "ON", "CONFLICT"), index + 2 < view.tokens.count, view.tokens[index + 2].text == "(" {
                targets[inserting, default: []].append(columns(view, openingAt: index + 2))
                table = nil
            } else if token.text == ";" {
                table = nil
            }
            index += 1
        }
    }

    /// The plain column names of `( a, b )`; expressions are left out.
    private static func columns(_ view: TokenView, openingAt open: Int) -> [String] {
        let close = view.closingParenthesis(of: open)
        return view.splitAtTopLevelCommas(open + 1..<close).compactMap { range in
            range.count == 1 && TokenView.isName(view.tokens[range.lowerBound]) ? TokenView.normalised(view.tokens[range.lowerBound]) : nil
        }
    }

    /// `tickets` for the fingerprint name `tickets`, `app.Tickets` for `app."Tickets"`: the form ``scan(_:)`` keys by.
    static func unquoted(_ name: String) -> String {
        QualifiedName.parts(of: name).joined(separator: ".")
    }
}

/// The parts of a name as `quote_ident` writes them, joined by dots: `app."a.b"` is `app`, `a.b`.
enum QualifiedName {
    static func parts(of name: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var isQuoted = false
        var characters = name.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            switch character {
            case "\"" where isQuoted && pending == "\"":
                current.append("\"")
                pending = characters.next()
            case "\"":
                isQuoted.toggle()
            case "." where !isQuoted:
                parts.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
