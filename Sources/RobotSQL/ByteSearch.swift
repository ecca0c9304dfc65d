/// Finding a run of bytes in UTF-8 text: where a dollar quote closes, whether a word occurs. A plain loop: the
/// standard library's `firstRange(of:)` instantiates generic metadata on every call, which cost a cold boot
/// milliseconds over 500 steps.
package enum ByteSearch {
    /// The index in `haystack` where `needle` first occurs.
    package static func firstIndex(of needle: some Collection<UInt8>, in haystack: ArraySlice<UInt8>) -> Int? {
        let needle = Array(needle)
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var start = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while start <= last {
            if haystack[start] == first && haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start += 1
        }
        return nil
    }
}
