import MaintenanceRobot

/// Why `robot import` refused a Python file. Nothing is written when it throws.
///
/// The description is what a compiler prints: `app/main.py:42:13: what is wrong; what to do`.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// The file concerned: the Python module, or the step directory for ``Problem/stepDirectory(_:)`` and the
    /// writing problems.
    public let file: String
    /// Where in the Python file, when the problem has a place there.
    public let location: PythonLocation?
    public let problem: Problem

    public init(file: String, location: PythonLocation? = nil, problem: Problem) {
        self.file = file
        self.location = location
        self.problem = problem
    }

    /// One reason to refuse.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case unreadable(reason: String)
        case notUTF8
        /// A string literal without its closing quote; the location is its opening quote.
        case unterminatedString
        /// The module assigns no list to the name.
        case listNotFound(name: String)
        /// The name is assigned something other than a list literal.
        case notAList(name: String)
        /// The name is assigned twice; the location is the second assignment.
        case assignedTwice(name: String, first: PythonLocation)
        /// The list is changed after its literal: `migration_steps.append(…)`, `migration_steps += …`.
        case builtAtRunTime(name: String, how: String)
        /// The list's `[` has no `]`.
        case unclosedList(name: String)
        /// The list holds no element at all.
        case emptyList(name: String)
        /// An element, or a part of one, that is not a string literal.
        case notALiteral(NonLiteral)
        /// A `\N{…}` escape: decoding it needs Python's table of character names.
        case namedEscape(String)
        /// An escape Python refuses too: a truncated `\x`, `\u` or `\U`, or one that names no character.
        case invalidEscape(String)
        /// The existing step directory is broken: its steps' numbering cannot be continued.
        case stepDirectory([CatalogueError.Problem])
        /// A step file to be written exists already.
        case fileExists(path: String)
        case unwritable(path: String, reason: String)

        static let advice = "write the SQL as a plain string literal; a step must not be built at run time"

        public var description: String {
            switch self {
            case .unreadable(let reason): "cannot be read (\(reason))"
            case .notUTF8: "not valid UTF-8; save the file as UTF-8, as Python reads it"
            case .unterminatedString: "the string literal is not closed; fix the file (Python cannot read it either)"
            case .listNotFound(let name):
                "no list literal is assigned to '\(name)' (\(name) = [ … ]); name the list with --list NAME"
            case .notAList(let name):
                "'\(name)' is assigned something other than a list literal; \(Self.advice), as an element of \(name) = [ … ]"
            case .assignedTwice(let name, let first):
                "'\(name)' is assigned a second time (first at \(first)); keep one list, or name the one to import with --list NAME"
            case .builtAtRunTime(let name, let how):
                "'\(name)' is changed at run time (\(how)); move those steps into the list literal as plain string literals"
            case .unclosedList(let name): "the list '\(name)' has no closing ]; fix the file (Python cannot read it either)"
            case .emptyList(let name): "the list '\(name)' holds no step; nothing to import"
            case .notALiteral(let what): "\(what); \(Self.advice)"
            case .namedEscape(let escape):
                "the escape \(escape) is not decoded by robot import; write the character itself"
            case .invalidEscape(let escape): "\(escape) is not a complete escape sequence; fix the literal (Python refuses it too)"
            case .stepDirectory(let problems): problems.map(\.description).joined(separator: "\n")
            case .fileExists(let path): "\(path) exists already; robot import appends new files and never overwrites one"
            case .unwritable(let path, let reason): "\(path): cannot be written (\(reason)); check the directory's permissions"
            }
        }
    }

    /// What stands where a string literal must.
    public enum NonLiteral: Sendable, Hashable, CustomStringConvertible {
        case fString
        /// `t'…'` (Python 3.14).
        case templateString
        case bytes
        /// A variable: `CREATE_USERS`.
        case name(String)
        /// `build_sql(…)`, `text(…)`.
        case call(String)
        /// `"…".format(…)`.
        case formatMethod
        /// `"…" % (…)`.
        case percentFormat
        /// `"…" + operand` where the operand is not a literal.
        case concatenation(operand: String)
        /// `[… for … in …]`.
        case comprehension
        /// `"…" if … else "…"`.
        case conditional
        /// A tuple where one string was expected: `("…", "…")`.
        case tuple
        /// Anything else, as written.
        case expression(String)

        public var description: String {
            switch self {
            case .fString: "an f-string is built at run time"
            case .templateString: "a template string (t'…') is built at run time"
            case .bytes: "a bytes literal (b'…') is not SQL text"
            case .name(let name): "'\(name)' is a name, not a string literal"
            case .call(let name): "'\(name)(…)' is a call, not a string literal"
            case .formatMethod: "'.format(…)' builds the string at run time"
            case .percentFormat: "'%' formatting builds the string at run time"
            case .concatenation(let operand): "'+ \(operand)' joins a value that is not a literal"
            case .comprehension: "a comprehension builds the list at run time"
            case .conditional: "a conditional expression chooses the string at run time"
            case .tuple: "a tuple, not one string literal"
            case .expression(let text): "'\(text)' is not a string literal"
            }
        }
    }

    public var description: String {
        if case .stepDirectory = problem { return problem.description }
        return file + (location.map { ":\($0)" } ?? "") + ": " + problem.description
    }
}

/// A problem at a place in the Python file, before the file's path is attached.
struct LocatedProblem: Error {
    let problem: ImportError.Problem
    let location: PythonLocation?

    init(_ problem: ImportError.Problem, at location: PythonLocation?) {
        self.problem = problem
        self.location = location
    }

    func error(in file: String) -> ImportError {
        ImportError(file: file, location: location, problem: problem)
    }
}
