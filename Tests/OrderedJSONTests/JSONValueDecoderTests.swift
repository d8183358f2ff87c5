import OrderedJSON
import Testing

@Suite("Decoding from a parsed JSON value")
struct JSONValueDecoderTests {
    struct Request: Decodable, Equatable {
        var model: String
        var maxTokens: Int?
        var temperature: Double?
        var seed: UInt32?
        var messages: [Message]

        struct Message: Decodable, Equatable {
            var content: String
        }

        enum CodingKeys: String, CodingKey {
            case model, temperature, seed, messages
            case maxTokens = "max_tokens"
        }
    }

    private func failure(_ text: String) throws -> (path: String, description: String)? {
        do {
            _ = try JSONValueDecoder().decode(Request.self, from: try JSONValue(parsing: text))
            return nil
        } catch let DecodingError.dataCorrupted(context) {
            return (
                context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: "."),
                context.debugDescription
            )
        }
    }

    @Test("a valid request decodes as it would from Foundation's decoder")
    func decodes() throws {
        let value = try JSONValue(
            parsing: #"{"model":"m","max_tokens":8,"temperature":0.5,"seed":7,"messages":[{"content":"hi"}]}"#)
        let request = try JSONValueDecoder().decode(Request.self, from: value)
        #expect(
            request == Request(model: "m", maxTokens: 8, temperature: 0.5, seed: 7, messages: [.init(content: "hi")]))
    }

    @Test(
        "numbers out of range for their field name the field",
        arguments: [
            (#"{"model":"m","messages":[],"max_tokens":1e308}"#, "max_tokens"),
            (#"{"model":"m","messages":[],"max_tokens":1180591620717411303424}"#, "max_tokens"),
            (#"{"model":"m","messages":[],"temperature":1e999}"#, "temperature"),
            (#"{"model":"m","messages":[],"seed":-1}"#, "seed"),
        ])
    func outOfRange(text: String, field: String) throws {
        let failure = try #require(try failure(text))
        #expect(failure.path == field)
        #expect(failure.description.contains("out of range"))
    }

    @Test("a fraction for an integer field says so")
    func fraction() throws {
        let failure = try #require(try failure(#"{"model":"m","messages":[],"max_tokens":1.5}"#))
        #expect(failure.path == "max_tokens")
        #expect(failure.description.contains("not an integer"))
    }

    @Test("a wrongly typed nested value has its full path")
    func nestedPath() throws {
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(
                Request.self, from: try JSONValue(parsing: #"{"model":"m","messages":[{"content":3}]}"#))
        }
        do {
            _ = try JSONValueDecoder().decode(
                Request.self, from: try JSONValue(parsing: #"{"model":"m","messages":[{"content":3}]}"#))
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["messages", "0", "content"])
        }
    }

    @Test("the parser refuses a string that is not UTF-8 and says where")
    func invalidUTF8() {
        let bytes = Array(#"{"a":"h"#.utf8) + [0xFF, 0xFE] + Array(#"i"}"#.utf8)
        do {
            _ = try JSONValue(parsing: bytes)
            Issue.record("parsed a string that is not UTF-8")
        } catch {
            #expect(error.reason == "invalid UTF-8 in a string")
            #expect(error.offset == 7)
        }
    }
}
