import Foundation
import Hummingbird

/// A request the API refuses, answered as `{"error": {"message": …, "field": …}}` with its status.
///
/// The message says what is wrong and how to fix it; it never echoes a credential value.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// What is wrong with the request.
    public var message: String
    /// The JSON field or path parameter at fault, when there is one.
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(APIErrorBody(error: .init(message: message, field: field)))
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// The JSON shape of an ``APIError``.
private struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        var message: String
        var field: String?
    }
    var error: Detail
}
