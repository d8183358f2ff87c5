import FuzzSupport
import Jinja
import OrderedJSON

/// libFuzzer's entry point: the input is a chat template, optionally followed by a NUL byte and a JSON object
/// whose members replace those of the default chat context.
///
/// Parse and render errors are fine; a crash, a hang or unbounded memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let source = String(decoding: bytes[..<split], as: UTF8.self)
    let context = ChatContext.make(json: split < size ? Array(bytes[(split + 1)...]) : [])
    FuzzStack.run(kilobytes: 1024) { renderTemplate(source, context) }
    return 0
}

/// The one place that calls the engine, so a changed API (render options, budgets) is one edit.
func renderTemplate(_ source: String, _ context: [String: JinjaValue]) {
    guard let template = try? JinjaTemplate(source) else { return }
    if let output = try? template.render(context) {
        blackHole(output.utf8.count)
    }
}
