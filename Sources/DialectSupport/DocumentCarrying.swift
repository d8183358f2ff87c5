public import FoundationEssentials
public import OrderedJSON

/// A request body that also keeps its whole JSON document, members in the order the client wrote them:
/// tools, schemas and tool-call arguments are read from it, as Foundation's decoder loses that order.
public protocol DocumentCarrying {
    /// The body as parsed JSON.
    var document: JSONValue { get set }
}

/// Gives decoded request bodies their document.
public enum RequestDocument {
    /// `value` with its `document` parsed from `data` when it carries one; other values as they are.
    public static func attach<Value>(to value: Value, from data: Data) -> Value {
        guard var carrying = value as? any DocumentCarrying else { return value }
        carrying.document = (try? JSONValue(parsing: Array(data))) ?? .null
        return carrying as? Value ?? value
    }
}
