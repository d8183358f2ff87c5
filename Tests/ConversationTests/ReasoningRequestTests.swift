import Conversation
import Foundation
import InferenceTypes
import OrderedJSON
import Testing

/// What `reasoningEffort` and `reasoningBudget` make of a request: the template's variables, the thinking
/// switch and the limit the engine enforces.
@Suite("Reasoning efforts and budgets")
struct ReasoningRequestTests {
    /// A thinking template that shows the variables it was given.
    static let source = """
        {% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}\
        [effort={{ reasoning_effort | default('unset') }} thinking={{ enable_thinking | default('unset') }}]\
        {% if add_generation_prompt %}<|assistant|><think>\n{% endif %}
        """

    static func prepare(_ change: (inout GenerationRequest) -> Void, canThink: Bool = true) async throws
        -> (prompt: String, request: EngineRequest)
    {
        // Without the think tag and enable_thinking, the template is one of a model that cannot think.
        let source =
            canThink
            ? Self.source
            : Self.source.replacingOccurrences(of: "<think>", with: "").replacingOccurrences(
                of: " thinking={{ enable_thinking | default('unset') }}", with: "")
        let profile = try ConversationProfileTests.profile(nil, source: source)
        var request = ConversationProfileTests.request()
        change(&request)
        let prepared = try await profile.prepare(request).request
        return (try #require(ConversationProfileTests.prompt(prepared)), prepared)
    }

    @Test("an effort turns thinking on and reaches the template as reasoning_effort")
    func effortReachesTheTemplate() async throws {
        let (prompt, request) = try await Self.prepare { $0.reasoningEffort = .high }
        #expect(prompt.contains("[effort=high thinking=True]"))
        #expect(request.thinking == true)
    }

    @Test("the request's own template variables win, and thinking off sends no effort")
    func explicitVariablesWin() async throws {
        let (own, _) = try await Self.prepare {
            $0.reasoningEffort = .low
            $0.templateVariables["reasoning_effort"] = "medium"
        }
        #expect(own.contains("[effort=medium thinking=True]"))
        let (off, request) = try await Self.prepare {
            $0.reasoningEffort = .high
            $0.thinking = false
        }
        #expect(off.contains("[effort=unset thinking=False]"))
        #expect(request.thinking == false)
    }

    @Test("an effort asked of a model that cannot think is passed on but does not refuse the request")
    func effortOnAModelThatCannotThink() async throws {
        let (prompt, request) = try await Self.prepare({ $0.reasoningEffort = .minimal }, canThink: false)
        #expect(prompt.contains("[effort=minimal]"))
        #expect(request.thinking == nil)
    }

    @Test("a budget gives the engine the limit and the closing tag; a budget of 0 turns thinking off")
    func budgetBecomesTheEngineLimit() async throws {
        let (_, limited) = try await Self.prepare { $0.reasoningBudget = 64 }
        let limit = try #require(limited.reasoningLimit)
        #expect(limit.budget == 64)
        #expect(limit.closing == "</think>\n\n")
        #expect(limit.startsInReasoning)
        #expect(limited.thinking == true)

        let (prompt, none) = try await Self.prepare { $0.reasoningBudget = 0 }
        #expect(prompt.contains("thinking=False"))
        #expect(none.thinking == false)
        #expect(none.reasoningLimit == nil)
    }
}
