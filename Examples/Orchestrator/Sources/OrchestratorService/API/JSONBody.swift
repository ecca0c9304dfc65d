import Foundation
import Hummingbird

/// Reads a request's JSON body with errors that say which field is wrong and how.
enum JSONBody {
    /// The most a body may hold; credential values and prompts fit well inside.
    static let limit = 64 * 1024

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
            throw APIError(.unsupportedMediaType, "the body must be JSON (Content-Type: application/json), not \(contentType)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "the body is larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, "the body is empty; send a JSON object")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw apiError(error)
        }
    }

    private static func apiError(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError(.badRequest, "the field \(field) is missing", field: field)
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return APIError(.badRequest, "the field \(field) must not be null", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return context.codingPath.isEmpty
                ? APIError(.badRequest, "the body must be a JSON object")
                : APIError(.badRequest, "the field \(field) must be \(type == String.self ? "a string" : "of type \(type)")", field: field)
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? APIError(.badRequest, "the body is not valid JSON")
                : APIError(.badRequest, "the field \(path(context.codingPath)) is invalid", field: path(context.codingPath))
        @unknown default:
            return APIError(.badRequest, "the body does not match the expected JSON object")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map(\.stringValue).joined(separator: ".")
    }
}
