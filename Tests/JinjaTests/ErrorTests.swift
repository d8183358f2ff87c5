import Jinja
import Testing

@Suite("Bad or unsupported templates fail clearly instead of rendering wrong text")
struct ErrorTests {
    @Test("an unsupported tag fails when parsing and names the construct and its line")
    func unsupportedTagFailsAtInit() {
        do {
            _ = try JinjaTemplate("line one\n{% if true %}\n{% include 'other.jinja' %}\n{% endif %}")
            Issue.record("parsing should have failed")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.line == 3)
            #expect(error.message.contains("include"))
            #expect(error.description.contains("line 3"))
        }
    }

    @Test("an unknown filter fails when parsing, even in a branch that would not run")
    func unknownFilterFailsAtInit() {
        #expect(throws: JinjaError.self) { _ = try JinjaTemplate("{% if false %}{{ x | frobnicate }}{% endif %}") }
    }

    @Test("a block left open fails when parsing with the line where the template ends")
    func unclosedBlock() {
        do {
            _ = try JinjaTemplate("{% for m in messages %}\n{{ m.content }}\n")
            Issue.record("parsing should have failed")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.message.contains("endfor"))
            #expect(error.line == 2)
        }
    }

    @Test("break outside a loop is a syntax error")
    func breakOutsideLoop() {
        #expect(throws: JinjaError.self) { _ = try JinjaTemplate("{% break %}") }
    }

    @Test("a runaway loop stops with an error instead of hanging")
    func runawayLoop() throws {
        let template = try JinjaTemplate(
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
        do {
            _ = try template.render([:], limits: JinjaLimits(maxSteps: 100_000, timeLimit: .seconds(60)))
            Issue.record("rendering should have failed")
        } catch {
            #expect(error.budget == .work(steps: 100_000))
            #expect(error.message.contains("budget"))
        }
    }

    @Test("unbounded macro recursion stops with an error")
    func runawayRecursion() throws {
        let template = try JinjaTemplate("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}")
        #expect(throws: JinjaError.self) { _ = try template.render([:]) }
    }

    @Test("raise_exception is told apart from other failures and keeps its message")
    func raisedError() throws {
        let template = try JinjaTemplate("{{ raise_exception('System role not supported') }}")
        do {
            _ = try template.render([:])
            Issue.record("rendering should have failed")
        } catch {
            #expect(error.isRaisedByTemplate)
            #expect(error.description == "System role not supported")
        }
        let broken = try JinjaTemplate("{{ 1 + 'a' }}")
        #expect { _ = try broken.render([:]) } throws: { error in !((error as? JinjaError)?.isRaisedByTemplate ?? true)
        }
    }
}
