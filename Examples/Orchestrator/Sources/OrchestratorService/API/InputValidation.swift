import Foundation

/// Checks of request fields, each throwing an ``APIError`` 422 that names the field and says what is expected.
enum InputValidation {
    static func validate(_ tenant: CreateTenantRequest) throws(APIError) {
        let storeName = tenant.storeName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !storeName.isEmpty, storeName.count <= 200 else {
            throw APIError(.unprocessableContent, "storeName must be 1 to 200 characters, not only spaces", field: "storeName")
        }
        try phoneNumber(tenant.botPhoneNumber, field: "botPhoneNumber")
        guard isEmail(tenant.ownerEmail) else {
            throw APIError(.unprocessableContent, "ownerEmail must be an e-mail address such as owner@example.com", field: "ownerEmail")
        }
        if let prompt = tenant.systemPromptTemplate, prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || prompt.count > 10_000 {
            throw APIError(.unprocessableContent, "systemPromptTemplate must be 1 to 10000 characters; omit it to use the default", field: "systemPromptTemplate")
        }
        if let timezone = tenant.timezone, TimeZone(identifier: timezone) == nil {
            throw APIError(.unprocessableContent, "timezone \"\(timezone)\" is not an IANA time zone such as America/Argentina/Buenos_Aires", field: "timezone")
        }
    }

    /// A credential value checked against its type's `field_type`. The message never repeats the value.
    static func validateCredential(_ value: String, fieldType: String, internalKey: String) throws(APIError) {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, value.utf8.count <= 8192 else {
            throw APIError(.unprocessableContent, "value for \(internalKey) must be 1 to 8192 bytes, not only spaces", field: "value")
        }
        switch fieldType {
        case "url":
            guard let url = URL(string: value), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw APIError(.unprocessableContent, "value for \(internalKey) must be an http(s) URL", field: "value")
            }
        case "phone":
            try phoneNumber(value, field: "value")
        default:
            break
        }
    }

    /// E.164: a plus sign, then 8 to 15 digits, the first not 0.
    private static func phoneNumber(_ text: String, field: String) throws(APIError) {
        let digits = text.dropFirst()
        guard text.first == "+", (8...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), digits.first != "0" else {
            throw APIError(.unprocessableContent, "\(field) must be an E.164 phone number such as +5491155550000", field: field)
        }
    }

    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= 254, !text.contains(where: \.isWhitespace) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
