/// A chat template parsed once and rendered many times, with the semantics of transformers' chat-template
/// environment: jinja2's `ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with loop
/// controls, the globals `raise_exception` and `strftime_now`, and transformers' `tojson`.
public struct JinjaTemplate: Sendable {
    let statements: [Statement]

    /// Parses `source`; a syntax error or a construct this engine does not implement fails here, with its line.
    public init(_ source: String) throws(JinjaError) {
        statements = try Parser.parse(source)
    }

    /// Renders the template with `context` as its variables (`messages`, `add_generation_prompt`, ...).
    ///
    /// Fails with `.raised` when the template calls `raise_exception`, and with `.runtime` for type errors,
    /// undefined values used in arithmetic, and runaway templates (too many loop iterations, macro recursion,
    /// or output past 64 MiB).
    public func render(_ context: [String: JinjaValue]) throws(JinjaError) -> String {
        var renderer = Renderer(context: context)
        _ = try renderer.run(statements)
        return renderer.output
    }
}
