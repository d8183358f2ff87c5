import EngineSupport
import FoundationEssentials
import InferenceTypes
import OrderedJSON

/// The JSON of runner messages. JSON values (tools, template variables) cross as text so that their key
/// order survives.
enum RunnerJSON {
    /// The JSON of `message`.
    static func encode(_ message: some Encodable) throws(InferenceError) -> Data {
        let encoder = JSONEncoder()
        encoder.userInfo[JSONValue.asTextKey] = true
        do {
            return try encoder.encode(message)
        } catch {
            throw .engineFailure("cannot encode a runner message: \(error)")
        }
    }

    /// The message in `payload`, or `nil` when it is not one.
    static func decode<Message: Decodable>(_ type: Message.Type, from payload: some Collection<UInt8>) -> Message? {
        let decoder = JSONDecoder()
        decoder.userInfo[JSONValue.asTextKey] = true
        return try? decoder.decode(Message.self, from: Data(payload))
    }
}
