import NIOCore
import Synchronization

/// The notices received on one connection and not yet taken, in arrival order.
final class NoticeBuffer: Sendable {
    private let notices = Mutex<[ServerNotice]>([])

    func append(_ notice: ServerNotice) {
        notices.withLock { $0.append(notice) }
    }

    func takeAll() -> [ServerNotice] {
        notices.withLock { notices in
            defer { notices.removeAll() }
            return notices
        }
    }
}

/// Watches the (decrypted) backend byte stream, passes it on unchanged, and records every NoticeResponse.
///
/// PostgresNIO 1.33.2 does not forward NoticeResponse messages, so this handler frames the stream itself:
/// each message is one type byte and an Int32 length that includes itself. It must be added at a message
/// boundary — after authentication, when the server is idle.
final class NoticeSniffer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private static let noticeType = UInt8(ascii: "N")
    private let buffer: NoticeBuffer
    /// The header of the next message, while fewer than its 5 bytes have arrived.
    private var header = ByteBuffer()
    /// Bytes of the current non-notice message still to pass by.
    private var bytesToSkip = 0
    /// The body of the current notice while it arrives, and the bytes it still lacks.
    private var noticeBody: ByteBuffer?
    private var noticeBytesMissing = 0

    init(buffer: NoticeBuffer) {
        self.buffer = buffer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        while bytes.readableBytes > 0 {
            consume(&bytes)
        }
        context.fireChannelRead(data)
    }

    private func consume(_ bytes: inout ByteBuffer) {
        if bytesToSkip > 0 {
            let count = min(bytesToSkip, bytes.readableBytes)
            bytes.moveReaderIndex(forwardBy: count)
            bytesToSkip -= count
        } else if noticeBody != nil {
            collectNotice(from: &bytes)
        } else {
            readHeader(from: &bytes)
        }
    }

    private func readHeader(from bytes: inout ByteBuffer) {
        if var slice = bytes.readSlice(length: min(5 - header.readableBytes, bytes.readableBytes)) {
            header.writeBuffer(&slice)
        }
        guard header.readableBytes == 5,
              let type = header.readInteger(as: UInt8.self),
              let length = header.readInteger(as: Int32.self) else { return }
        header.clear()
        let bodyLength = max(0, Int(length) - 4)
        if type == Self.noticeType {
            noticeBody = ByteBuffer()
            noticeBytesMissing = bodyLength
            if bodyLength == 0 { finishNotice() }
        } else {
            bytesToSkip = bodyLength
        }
    }

    private func collectNotice(from bytes: inout ByteBuffer) {
        if var slice = bytes.readSlice(length: min(noticeBytesMissing, bytes.readableBytes)) {
            noticeBytesMissing -= slice.readableBytes
            noticeBody?.writeBuffer(&slice)
        }
        if noticeBytesMissing == 0 { finishNotice() }
    }

    private func finishNotice() {
        if var body = noticeBody, let notice = Self.decodeNotice(&body) {
            buffer.append(notice)
        }
        noticeBody = nil
    }

    /// Decodes NoticeResponse fields: pairs of a field-type byte and a NUL-terminated string, ended by a 0 byte.
    private static func decodeNotice(_ body: inout ByteBuffer) -> ServerNotice? {
        var fields: [UInt8: String] = [:]
        while let type = body.readInteger(as: UInt8.self), type != 0, let value = body.readNullTerminatedString() {
            fields[type] = value
        }
        let field = { (code: Character) in fields[UInt8(ascii: code.unicodeScalars.first ?? "?")] }
        guard let message = field("M") else { return nil }
        return ServerNotice(
            severity: field("V") ?? field("S") ?? "NOTICE", sqlState: field("C"), message: message,
            detail: field("D"), hint: field("H"), context: field("W")
        )
    }
}

extension ByteBuffer {
    /// Reads a NUL-terminated UTF-8 string and its terminator.
    fileprivate mutating func readNullTerminatedString() -> String? {
        guard let end = readableBytesView.firstIndex(of: 0) else { return nil }
        let string = readString(length: end - readerIndex)
        moveReaderIndex(forwardBy: 1)
        return string
    }
}
