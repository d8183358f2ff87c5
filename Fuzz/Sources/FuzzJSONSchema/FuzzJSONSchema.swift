import FuzzSupport
import InferenceTypes
import OrderedJSON
import SchemaGrammar

/// libFuzzer's entry point: parses the input as JSON (checking that the parse survives a round trip through
/// each serialization), then converts it as a JSON Schema into a grammar.
///
/// Parse errors and refused schemas are fine; a crash, a hang, unbounded memory or a failed round trip is a
/// finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    FuzzStack.run(kilobytes: 256) {
        if let text = String(validating: bytes, as: UTF8.self) {
            _ = try? JSONValue.parsePrefix(of: text)
        }
        guard let schema = try? JSONValue(parsing: bytes) else { return }
        RoundTrip.check(schema)
        convertSchema(schema)
    }
    return 0
}

/// The one place that calls the converter, so a changed API (limits, options) is one edit.
func convertSchema(_ schema: JSONValue) {
    if let grammar = try? JSONSchemaGrammar.gbnf(for: schema) {
        blackHole(grammar.utf8.count)
    }
}
