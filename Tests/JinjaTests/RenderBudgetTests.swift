import Jinja
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Template bombs fail quickly with an error naming the budget, without allocating the oversized thing")
struct RenderBudgetTests {
    static let mib = 1 << 20

    /// Renders `source`, expecting it to fail; checks it failed within `seconds` (a guard against a hang)
    /// and that the process's peak memory did not grow by gigabytes first.
    static func failure(
        _ source: String, limits: JinjaLimits = JinjaLimits(), within seconds: Int = 5,
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws -> JinjaError? {
        let template = try JinjaTemplate(source)
        let start = ContinuousClock.now
        let peakBefore = peakMemoryBytes()
        defer {
            #expect(ContinuousClock.now - start < .seconds(seconds))
            #expect(peakMemoryBytes() - peakBefore < 512 * mib)
        }
        do {
            _ = try template.render(
                ["messages": [["role": "user", "content": "hi"]]], limits: limits, isCancelled: isCancelled)
            return nil
        } catch {
            return error
        }
    }

    static func peakMemoryBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    static let string = JinjaBudget.stringSize(bytes: 4 << 20)
    static let list = JinjaBudget.listSize(items: 100_000)

    @Test(
        "a string or list too big to build fails before it is built",
        arguments: [
            ("{{ 'x\\ny'|indent(10**12) }}", string),
            ("{{ 'x\\ny\\nz'|indent(' ' * 3000000) }}", string),
            ("{{ 'x' * 10**12 }}", string),
            ("{{ 'xx' * 2**62 }}", string),
            ("{{ [1] * 10**12 }}", list),
            ("{{ [1, 2] * 2**62 }}", list),
            ("{% set big = 'x' * 1000000 %}{{ ([big] * 10)|join }}", string),
            ("{% set big = 'x' * 1000000 %}{{ ([big] * 10)|join(big) }}", string),
            ("{% set big = 'x' * 1000000 %}{{ big.join([big] * 10) }}", string),
            ("{% set big = 'x' * 1000000 %}{{ big|replace('x', 'xxxxxxxxxx') }}", string),
            ("{% set big = 'x' * 1000000 %}{{ big.replace('x', 'xxxxxxxxxx') }}", string),
            ("{% set big = 'x' * 1000000 %}{{ big|replace('', 'yyyy') }}", string),
            ("{% set big = 'x' * 3000000 %}{{ big ~ big }}", string),
            ("{% set big = 'x' * 3000000 %}{{ big + big }}", string),
            ("{% set big = 'x' * 2000000 %}{{ '{}{}{}'.format(big, big, big) }}", string),
            ("{% set big = 'x' * 1000000 %}{{ [big] * 10 }}", string),
            ("{% set big = 'x' * 1000000 %}{{ ([big] * 10)|tojson }}", string),
            ("{% set big = 'x' * 1000000 %}{{ ([big] * 10)|string }}", string),
            ("{{ [[[1]]]|tojson(indent=10**9) }}", string),
            ("{{ [1, 2]|tojson(separators=(' ' * 3000000, ':')) }}", string),
            ("{{ [1]|batch(10**12, 0)|list|length }}", list),
            ("{{ ('x,' * 1000000).split(',')|length }}", list),
            ("{{ range(100000)|list + range(100000)|list }}", list),
        ])
    func sizeBombs(source: String, budget: JinjaBudget) throws {
        let error = try #require(try Self.failure(source))
        #expect(error.budget == budget)
        #expect(error.description.contains("\(budget)"))
    }

    @Test("range is capped at 100000 items as in Python's sandbox, and huge bounds do not overflow")
    func rangeCap() throws {
        #expect(try Self.failure("{{ range(100001)|length }}")?.budget == .range(items: 100_000))
        #expect(try Self.failure("{{ range(-(2**62), 2**62)|length }}")?.budget == .range(items: 100_000))
        #expect(try Self.failure("{{ range(0, 2**62, -1)|length }}") == nil)
        #expect(try JinjaTemplate("{{ range(100000)|length }}").render([:]) == "100000")
    }

    @Test("nested ranges run out of work (or time) instead of spinning for hours")
    func nestedRanges() throws {
        let error = try #require(
            try Self.failure(
                "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
                limits: JinjaLimits(maxSteps: 200_000, timeLimit: .seconds(60))))
        #expect(error.budget == .work(steps: 200_000))
    }

    @Test("a string grown inside range(100000) stops at the string budget")
    func growthInsideRange() throws {
        let error = try #require(
            try Self.failure(
                """
                {% set ns = namespace(s='') %}{% for i in range(100000) %}\
                {% set ns.s = ns.s ~ ('abcdefghij' * 1000) %}{% endfor %}{{ ns.s|length }}
                """))
        #expect(error.budget == Self.string)
    }

    @Test("re-concatenating a few MB inside range(100000) stops at the time budget")
    func slowConcatenation() throws {
        let error = try #require(
            try Self.failure(
                """
                {% set big = 'x' * 3000000 %}{% set ns = namespace(s='') %}\
                {% for i in range(100000) %}{% set ns.s = big ~ i %}{% endfor %}
                """, limits: JinjaLimits(timeLimit: .milliseconds(300)), within: 2))
        #expect(error.budget == .time(milliseconds: 300))
        #expect(error.description.contains("time budget of 300 ms"))
    }

    @Test("output past 4 MiB fails, printed or literal text or captured in a macro or set block")
    func outputBudget() throws {
        let output = JinjaBudget.output(bytes: 4 << 20)
        #expect(try Self.failure("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}")?.budget == output)
        let literal = String(repeating: "y", count: 10_000)
        #expect(try Self.failure("{% for i in range(100000) %}\(literal){% endfor %}")?.budget == output)
        #expect(
            try Self.failure(
                "{% macro m() %}{% for i in range(100000) %}\(literal){% endfor %}{% endmacro %}{{ m() }}")?.budget
                == output)
        #expect(
            try Self.failure("{% set x %}{% for i in range(100000) %}\(literal){% endfor %}{% endset %}")?.budget
                == output)
    }

    @Test("macro recursion stops at the recursion budget, even with deep expressions in each call")
    func macroRecursion() throws {
        let deep = String(repeating: "(", count: 90) + "n + 1" + String(repeating: ")", count: 90)
        let error = try #require(
            try Self.failure("{% macro m(n) %}{{ m(\(deep)) }}{% endmacro %}{{ m(0) }}"))
        #expect(error.budget == .recursion(calls: 50) || error.budget == .depth(levels: 400))
        let mutual = "{% macro a(n) %}{{ b(n) }}{% endmacro %}{% macro b(n) %}{{ a(n) }}{% endmacro %}{{ a(0) }}"
        #expect(try Self.failure(mutual)?.budget == .recursion(calls: 50))
    }

    @Test("a list nested into itself round after round stops at the depth budget, never overflowing the stack")
    func valueDepth() throws {
        let lists = """
            {% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}\
            {{ ns.x }}
            """
        #expect(try Self.failure(lists)?.budget == .depth(levels: 400))
        let dicts = """
            {% set ns = namespace(x={}) %}{% for i in range(100000) %}{% set ns.x = dict(a=ns.x) %}{% endfor %}\
            {{ ns.x|tojson }}
            """
        #expect(try Self.failure(dicts)?.budget == .depth(levels: 400))
        let pairs = """
            {% set ns = namespace(x={'a': 1}) %}{% for i in range(100000) %}\
            {% set ns.x = {'a': ns.x|items|list} %}{% endfor %}
            """
        #expect(try Self.failure(pairs)?.budget == .depth(levels: 400))
    }

    @Test("quadratic-looking searches stay linear: a needle of 100000 'a' and a 'b' in 400000 'a's")
    func linearSearch() throws {
        // Naive search would compare some 4e10 characters (minutes); linear search takes milliseconds.
        let template = try JinjaTemplate(
            "{% set h = 'a' * 400000 %}{% set n = 'a' * 100000 ~ 'b' %}{{ n in h }} {{ h.count(n) }} {{ h.find(n) }}")
        let start = ContinuousClock.now
        #expect(try template.render([:], limits: JinjaLimits(timeLimit: .seconds(60))) == "False 0 -1")
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test("a render stops with .cancelled once its caller asks, and within its time budget otherwise")
    func cancellation() throws {
        let spin = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
        let error = try #require(try Self.failure(spin, isCancelled: { true }))
        #expect(error.kind == .cancelled)
        let timed = try #require(try Self.failure(spin, limits: JinjaLimits(timeLimit: .milliseconds(200)), within: 2))
        #expect(timed.budget == .time(milliseconds: 200))
    }
}
