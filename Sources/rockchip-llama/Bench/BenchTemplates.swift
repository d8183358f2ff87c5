import BenchReporting
import Conversation
import InferenceCore
import InferenceTypes
import OrderedJSON
import SchemaGrammar

/// The core's own costs on a loaded model: rendering its chat template, and decoding constrained by a JSON
/// schema against decoding free.
struct BenchTemplates {
    /// Median microseconds to render a 20-message conversation with two tools through the model's template.
    static func renderMicros(info: ModelInfo, runs: Int = 200) throws -> Double? {
        guard let template = info.chatTemplate else { return nil }
        let renderer = try ChatTemplateRenderer(
            template: template, bosToken: info.bosToken ?? "", eosToken: info.eosToken ?? "")
        var messages = [ChatMessage(role: .system, content: "You are a helpful assistant on a small board.")]
        for turn in 0..<19 {
            messages.append(
                ChatMessage(
                    role: turn.isMultiple(of: 2) ? .user : .assistant,
                    content: "Message \(turn): tell me about the weather in Zürich and what to wear today."))
        }
        let tools: [JSONValue] = ["get_weather", "get_time"].map { name in
            [
                "type": "function",
                "function": [
                    "name": .string(name), "description": "Looks something up.",
                    "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
                ],
            ]
        }
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = MonotonicClock.now()
            _ = try renderer.render(messages: messages, tools: tools, addGenerationPrompt: true, variables: [:])
            samples.append(Double(MonotonicClock.since(start)) / 1000)
        }
        return BenchStatistics.median(samples)
    }

    /// Decode tokens/s with and without a JSON-schema grammar, on the same prompt, alternating.
    static func constrainedRates(engine: any Engine, model: String, tokens: Int, runs: Int) async throws
        -> (free: Double, constrained: Double)
    {
        let schema: JSONValue = [
            "type": "array", "minItems": 40,
            "items": [
                "type": "object",
                "properties": ["name": ["type": "string", "maxLength": 24], "age": ["type": "integer"]],
                "required": ["name", "age"],
            ],
        ]
        let grammar = try JSONSchemaGrammar.gbnf(for: schema)
        var free: [Double] = []
        var constrained: [Double] = []
        for run in 0..<runs {
            let prompt = "Run \(run). List many people as a JSON array of objects with a name and an age: ["
            for (useGrammar, into) in [(false, 0), (true, 1)] {
                var request = EngineRequest(
                    input: .text(prompt), maxTokens: tokens, sampling: SamplingOptions(temperature: 0))
                if useGrammar { request.grammar = grammar }
                var rate = 0.0
                for try await event in engine.generate(request) {
                    guard case .done(let summary) = event, summary.timings.evalNanos > 0 else { continue }
                    rate = Double(summary.usage.completionTokens - 1) / (Double(summary.timings.evalNanos) / 1e9)
                }
                if into == 0 { free.append(rate) } else { constrained.append(rate) }
            }
        }
        return (BenchStatistics.median(free), BenchStatistics.median(constrained))
    }
}
