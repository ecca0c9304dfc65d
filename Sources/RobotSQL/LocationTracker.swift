/// Turns byte offsets into ``SourceLocation``s by walking forward through UTF-8 bytes once.
///
/// Targets must not decrease, so a whole file costs one pass however many tokens it has.
struct LocationTracker {
    private(set) var location: SourceLocation
    private var byteIndex = 0
    private var afterCarriageReturn = false

    init(origin: SourceLocation) {
        location = origin
    }

    /// Moves to `target` (a byte index into `bytes`) and returns the location there.
    mutating func advance(to target: Int, in bytes: [UInt8]) -> SourceLocation {
        precondition(target >= byteIndex, "locations are requested in source order")
        var next = location
        var afterCR = afterCarriageReturn
        for index in byteIndex..<target {
            let byte = bytes[index]
            // UTF-8 continuation bytes belong to the scalar already counted.
            guard byte & 0xC0 != 0x80 else { continue }
            next.scalarOffset += 1
            switch byte {
            case ASCII.carriageReturn:
                next.line += 1
                next.column = 1
            case ASCII.newline where afterCR:
                break  // the \r of this \r\n already broke the line
            case ASCII.newline:
                next.line += 1
                next.column = 1
            default:
                next.column += 1
            }
            afterCR = byte == ASCII.carriageReturn
        }
        next.utf8Offset += target - byteIndex
        byteIndex = target
        afterCarriageReturn = afterCR
        location = next
        return next
    }
}
