import NIOCore
import NIOEmbedded
@testable import RobotSession
import Testing

/// The sniffer frames the backend's byte stream itself, so a message may arrive in any number of reads.
@Suite struct NoticeSnifferTests {
    /// A ReadyForQuery, a NoticeResponse and a CommandComplete, as the server sends them.
    static let stream: [UInt8] = message("Z", Array("I".utf8))
        + message("N", field("S", "NOTICE") + field("V", "NOTICE") + field("C", "00000") + field("M", "table exists, skipping")
            + field("D", "a detail") + field("W", "PL/pgSQL function inline_code_block line 3 at RAISE") + [0])
        + message("C", Array("SELECT 1".utf8) + [0])

    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [UInt8(ascii: type.unicodeScalars.first!)] + withUnsafeBytes(of: length.bigEndian, Array.init) + body
    }

    static func field(_ code: Character, _ value: String) -> [UInt8] {
        [UInt8(ascii: code.unicodeScalars.first!)] + Array(value.utf8) + [0]
    }

    /// Every way of cutting the stream into two reads, and one read per byte.
    static let splits: [[Int]] = (1..<stream.count).map { [$0] } + [Array(1..<stream.count)]

    @Test(arguments: splits)
    func aNoticeSplitAcrossReadsIsCapturedOnceAndEveryBytePassesOn(cuts: [Int]) throws {
        let buffer = NoticeBuffer()
        let channel = EmbeddedChannel(handler: NoticeSniffer(buffer: buffer))
        var passed: [UInt8] = []
        for (start, end) in zip([0] + cuts, cuts + [Self.stream.count]) {
            try channel.writeInbound(ByteBuffer(bytes: Self.stream[start..<end]))
            while let read = try channel.readInbound(as: ByteBuffer.self) { passed += read.readableBytesView }
        }
        #expect(passed == Self.stream)
        let notices = buffer.takeAll()
        #expect(notices.count == 1)
        #expect(notices.first?.message == "table exists, skipping")
        #expect(notices.first?.severity == "NOTICE")
        #expect(notices.first?.sqlState == "00000")
        #expect(notices.first?.detail == "a detail")
        #expect(notices.first?.context == "PL/pgSQL function inline_code_block line 3 at RAISE")
        #expect(buffer.takeAll().isEmpty, "taken once")
        _ = try channel.finish()
    }
}
