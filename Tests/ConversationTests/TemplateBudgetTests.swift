import Conversation
import EngineSupport
import InferenceTypes
import Testing

@Suite(
    "A chat template past its budgets answers a clear error, renders off the cooperative pool and stops when cancelled")
struct TemplateBudgetTests {
    static let conversation = [ChatMessage(role: .user, content: "Hi")]

    /// Loops for as long as its time budget allows when the last message says "slow", else renders at once.
    static let slowTemplate = """
        {% if messages[-1].content == 'slow' %}{% set big = 'x' * 3000000 %}{% set ns = namespace(s='') %}\
        {% for i in range(100000) %}{% set ns.s = big ~ i %}{% endfor %}{% endif %}\
        {% for m in messages %}{{ m.role }}: {{ m.content }}
        {% endfor %}
        """

    static func renderer(_ template: String, timeLimit: Duration = .seconds(2)) throws -> ChatTemplateRenderer {
        try ChatTemplateRenderer(
            template: template, bosToken: "", eosToken: "", modelName: "bomb", timeLimit: timeLimit)
    }

    @Test("a template past its output budget is an invalid request that names the budget and the line")
    func outputBudgetIsAClearInvalidRequest() async throws {
        let renderer = try Self.renderer("{% for i in range(100000) %}\n{{ 'x' * 100000 }}{% endfor %}")
        await #expect(
            throws: InferenceError.invalidRequest(
                "the model's chat template exceeded its output budget of 4 MiB (template line 2)")
        ) {
            try await renderer.prompt(
                messages: Self.conversation, tools: [], addGenerationPrompt: true, variables: [:])
        }
        #expect(
            throws: InferenceError.invalidRequest(
                "the model's chat template exceeded its string size budget of 4 MiB (template line 1)")
        ) {
            try Self.renderer("{{ 'x\\ny'|indent(10**12) }}").render(
                messages: Self.conversation, tools: [], addGenerationPrompt: true, variables: [:])
        }
    }

    @Test("a template that blows its budget on every conversation fails the load, one that refuses it does not")
    func loadCheck() async throws {
        await #expect {
            try await Self.renderer("{{ 'x' * 10**12 }}").checkBudgets()
        } throws: { error in
            guard case .modelLoadFailed(let model, let reason) = error as? InferenceError else { return false }
            return model == "bomb" && reason.contains("exceeded its string size budget of 4 MiB")
        }
        try await Self.renderer("{{ raise_exception('System role not supported') }}").checkBudgets()
        try await Self.renderer(Self.slowTemplate).checkBudgets()
        try await Self.renderer("{{ messages[5].content + 1 }}").checkBudgets()
    }

    @Test(
        "slow renders run on the render threads: the cooperative pool stays free and a cancelled caller stops its render, queued or running"
    )
    func cancellationStopsRunningAndQueuedRenders() async throws {
        let pool = TemplateRenderPool(threads: 2)
        let renderer = try Self.renderer(Self.slowTemplate, timeLimit: .seconds(60))
        let slow = [ChatMessage(role: .user, content: "slow")]
        let tasks = (0..<5).map { _ in
            Task {
                try await renderer.prompt(
                    messages: slow, tools: [], addGenerationPrompt: true, variables: [:], pool: pool)
            }
        }
        for _ in 0..<200 where pool.runningRenders < 2 || pool.queuedRenders < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(pool.runningRenders == 2)
        #expect(pool.queuedRenders == 3)
        // The cooperative pool is not held by the renders.
        let start = ContinuousClock.now
        for _ in 0..<20 { _ = await Task { 1 }.value }
        #expect(ContinuousClock.now - start < .seconds(1))
        // A fast render queues behind them and answers once a thread is free.
        let cancelStart = ContinuousClock.now
        for task in tasks { task.cancel() }
        for task in tasks {
            await #expect(throws: InferenceError.cancelled) { try await task.value }
        }
        #expect(ContinuousClock.now - cancelStart < .seconds(5))
        for _ in 0..<200 where pool.runningRenders > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.runningRenders == 0)
        #expect(pool.queuedRenders == 0)
        let prompt = try await renderer.prompt(
            messages: Self.conversation, tools: [], addGenerationPrompt: true, variables: [:], pool: pool)
        #expect(prompt == "user: Hi\n")
    }

    @Test("a render cancelled before it is queued never runs")
    func cancelledBeforeQueued() async throws {
        let pool = TemplateRenderPool(threads: 1)
        let ran = CancellationFlag()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await pool.run { _ throws(InferenceError) in ran.cancel() }
        }
        await #expect(throws: InferenceError.cancelled) { try await task.value }
        #expect(!ran.isCancelled)
    }
}
