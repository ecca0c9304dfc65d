/// JSON written byte for byte as `JSONEncoder` writes it with `.prettyPrinted`, `.sortedKeys` and
/// `.withoutEscapingSlashes`, for the run report: `robot run --json` prints it at every boot, and
/// `JSONEncoder` takes a millisecond and a half for a report of 500 steps, where this takes a tenth.
///
/// The caller writes an object's members in sorted key order and leaves out absent optionals, as
/// `Codable` does; the report's tests hold the output to `JSONEncoder`'s.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    private var indent = 0
    private var isFirstMember = true

    /// - Parameter capacity: about how many bytes the text will have.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// `{ … }`, its members written by `members`.
    mutating func object(_ members: (inout JSONText) -> Void) {
        bytes.append(0x7B)
        let outerIsFirst = isFirstMember
        indent += 2
        isFirstMember = true
        members(&self)
        indent -= 2
        if !isFirstMember { newline() }
        bytes.append(0x7D)
        isFirstMember = outerIsFirst
    }

    /// `[ … ]`, each element written by `element`; empty, `[` and `]` with an empty line between them.
    mutating func array<Element>(_ elements: [Element], _ element: (inout JSONText, borrowing Element) -> Void) {
        bytes.append(0x5B)
        let outerIsFirst = isFirstMember
        indent += 2
        // Through the buffer, which lends each element: iterating the array would copy every one.
        elements.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                if index > 0 { bytes.append(0x2C) }
                newline()
                element(&self, elements[index])
            }
        }
        indent -= 2
        if elements.isEmpty { bytes.append(0x0A) }
        newline()
        bytes.append(0x5D)
        isFirstMember = outerIsFirst
    }

    /// Starts the member `key` of the object being written: its value follows.
    mutating func key(_ key: StaticString) {
        if !isFirstMember { bytes.append(0x2C) }
        isFirstMember = false
        newline()
        bytes.append(0x22)
        append(key)
        append("\" : ")
    }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        defer { bytes.append(0x22) }
        var text = text
        text.withUTF8 { utf8 in
            guard utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return bytes.append(contentsOf: utf8) }
            for byte in utf8 {
                switch byte {
                case 0x22, 0x5C: bytes.append(contentsOf: [0x5C, byte])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
                case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
                case ..<0x20: bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
        }
    }

    mutating func integer(_ number: Int) {
        if number < 0 { bytes.append(0x2D) }
        // The digits backwards, then turned around: no String on the way.
        var first = bytes.endIndex
        var rest = number.magnitude
        repeat {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        var last = bytes.endIndex - 1
        while first < last {
            bytes.swapAt(first, last)
            first += 1
            last -= 1
        }
    }

    /// A finite number in its shortest round-trip form; JSON has no infinities, so those are `null`.
    mutating func number(_ number: Double) {
        bytes.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
    }

    mutating func bool(_ flag: Bool) {
        append(flag ? "true" : "false")
    }

    /// The member `key` with a text value, left out when there is none.
    mutating func member(_ key: StaticString, _ text: String?) {
        guard let text else { return }
        self.key(key)
        string(text)
    }

    /// The member `key` with an integer value, left out when there is none.
    mutating func member(_ key: StaticString, _ number: Int?) {
        guard let number else { return }
        self.key(key)
        integer(number)
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func newline() {
        bytes.append(0x0A)
        Self.spaces.withUTF8Buffer { spaces in
            if indent <= spaces.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: spaces[..<indent]))
            } else {
                bytes.append(contentsOf: repeatElement(0x20, count: indent))
            }
        }
    }

    /// Enough spaces for the report's deepest indentation.
    private static let spaces: StaticString = "                                "

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
