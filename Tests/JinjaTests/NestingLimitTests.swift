import Jinja
import Testing

@Suite("Templates nested past the parser's limit fail at parse with a clear error, never a crash")
struct NestingLimitTests {
    static func parseFailure(_ source: String) -> JinjaError? {
        do {
            _ = try JinjaTemplate(source)
            return nil
        } catch {
            return error
        }
    }

    @Test("5000 nested parentheses (10 KB) fail at parse, saying what and where")
    func parentheses() throws {
        let source =
            "line one\n{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
            + " }}"
        let error = try #require(Self.parseFailure(source))
        #expect(error.budget == .nesting(levels: JinjaLimits.maxNesting))
        #expect(error.line == 2)
        #expect(error.description.contains("nest"))
        #expect(error.description.contains("100 levels"))
    }

    /// Each case is repeated 5000 times around a core: `repeated` before it, `core`, `closing` after it.
    @Test(
        "every recursive or chained construct of the grammar is bounded",
        arguments: [
            ("[", "1", "]"), ("{'a': ", "1", "}"), ("not ", "x", ""), ("- ", "1", ""), ("1 + ", "1", ""),
            ("1 * ", "1", ""), ("2 ** ", "1", ""), ("x or ", "x", ""), ("x and ", "x", ""), ("", "x", "|trim"),
            ("", "x", ".a"), ("", "x", "[0]"), ("", "f", "()"), ("", "x", " is defined"), ("x[", "0", "]"),
            ("f(", "", ")"), ("1 if x else ", "2", ""), ("x is sameas ", "x", ""), ("(", "1", ",)"),
        ])
    func expressions(repeated: String, core: String, closing: String) throws {
        let expression =
            String(repeating: repeated, count: 5000) + core + String(repeating: closing, count: 5000)
        let error = try #require(Self.parseFailure("{{ \(expression) }}"))
        #expect(error.budget == .nesting(levels: JinjaLimits.maxNesting))
    }

    @Test("nested blocks and macros past the limit fail at parse with the line of the block that is too deep")
    func blocks() throws {
        let ifs = String(repeating: "{% if x %}\n", count: 5000) + String(repeating: "{% endif %}", count: 5000)
        let error = try #require(Self.parseFailure(ifs))
        #expect(error.budget == .nesting(levels: JinjaLimits.maxNesting))
        #expect(error.line == JinjaLimits.maxNesting + 1)
        #expect(error.message.contains("blocks nest deeper"))
        let macros =
            String(repeating: "{% macro m() %}", count: 5000) + String(repeating: "{% endmacro %}", count: 5000)
        #expect(Self.parseFailure(macros)?.budget == .nesting(levels: JinjaLimits.maxNesting))
        let loops = String(repeating: "{% for a in b %}", count: 5000) + String(repeating: "{% endfor %}", count: 5000)
        #expect(Self.parseFailure(loops)?.budget == .nesting(levels: JinjaLimits.maxNesting))
        let targets =
            "{% for " + String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000)
            + " in b %}{% endfor %}"
        #expect(Self.parseFailure(targets)?.budget == .nesting(levels: JinjaLimits.maxNesting))
    }

    @Test("nesting real templates use (a few dozen levels) still parses and renders")
    func realisticNesting() throws {
        let source =
            "{{ " + String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40) + " }}"
            + String(repeating: "{% if true %}", count: 40) + "x" + String(repeating: "{% endif %}", count: 40)
        #expect(try JinjaTemplate(source).render([:]) == "1x")
    }

    @Test("a template source past the size budget fails before it is lexed")
    func sourceSize() throws {
        let source = String(repeating: "a", count: JinjaLimits.maxSourceBytes + 1)
        #expect(Self.parseFailure(source)?.budget == .sourceSize(bytes: JinjaLimits.maxSourceBytes))
    }
}
