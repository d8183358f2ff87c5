public import FoundationEssentials
public import OrderedJSON

/// Why a request body was refused when Foundation's decoder says only "not valid JSON": it says so too for a
/// body that is not UTF-8 and for a number out of range for its field, and names no field.
public enum JSONBodyDiagnosis: Error {
    /// The body is not UTF-8; `offset` is the first bad byte.
    case notUTF8(offset: Int)
    /// The body is not JSON.
    case notJSON(JSONParseError)
    /// The body is JSON but a field's value does not fit; the error names the field.
    case invalidField(DecodingError)
    /// No finer reason was found.
    case unknown

    /// Finds out why `data` does not decode as `type`.
    public static func diagnose<Value: Decodable>(_ type: Value.Type, from data: Data) -> JSONBodyDiagnosis {
        let bytes = Array(data)
        if String(validating: bytes, as: UTF8.self) == nil {
            return .notUTF8(offset: firstInvalidUTF8Offset(bytes))
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            return .notJSON(error)
        }
        do {
            _ = try JSONValueDecoder().decode(type, from: document)
        } catch let error as DecodingError {
            return .invalidField(error)
        } catch {
            return .unknown
        }
        return .unknown
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
