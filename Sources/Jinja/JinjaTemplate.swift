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
    /// Fails with `.raised` when the template calls `raise_exception`, with `.runtime` for type errors and
    /// undefined values used in arithmetic, with `.budgetExceeded` when it runs past one of `limits` (output
    /// or string size, list size, work, time, recursion, depth), and with `.cancelled` once `isCancelled`
    /// returns true; that and the time limit are checked every few steps of work.
    public func render(
        _ context: [String: JinjaValue], limits: JinjaLimits = JinjaLimits(),
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws(JinjaError) -> String {
        var renderer = Renderer(context: context, limits: limits, isCancelled: isCancelled)
        _ = try renderer.run(statements)
        return renderer.output
    }
}
