import FoundationEssentials
import OrderedJSON

/// A streamed answer in any of our dialects, as a client sees it: when each text (or reasoning) piece arrived,
/// and the token counts the dialect reported. The three dialects frame the same generation differently; this
/// reads each one's events.
struct BenchDialectStream {
    /// A route and how its events are read.
    enum Dialect: String, CaseIterable {
        case chat, responses, messages

        var path: String {
            switch self {
            case .chat: "/v1/chat/completions"
            case .responses: "/v1/responses"
            case .messages: "/v1/messages"
            }
        }

        /// The request body of a system prompt and a question.
        func body(model: String, system: String, question: String, maxTokens: Int) -> JSONValue {
            var members: [JSONMember] = [JSONMember("model", .string(model))]
            let user: JSONValue = ["role": "user", "content": .string(question)]
            switch self {
            case .chat:
                members += [
                    JSONMember("messages", .array([["role": "system", "content": .string(system)], user])),
                    JSONMember("max_tokens", .int(maxTokens)),
                    JSONMember("stream_options", ["include_usage": true]),
                ]
            case .responses:
                members += [
                    JSONMember("instructions", .string(system)), JSONMember("input", .array([user])),
                    JSONMember("max_output_tokens", .int(maxTokens)), JSONMember("store", .bool(false)),
                ]
            case .messages:
                members += [
                    JSONMember("system", .string(system)), JSONMember("messages", .array([user])),
                    JSONMember("max_tokens", .int(maxTokens)),
                ]
            }
            members += [JSONMember("temperature", .int(0)), JSONMember("stream", .bool(true))]
            return .object(members)
        }
    }

    /// One answer.
    struct Result {
        var status = 0
        /// Seconds from sending the request to each text or reasoning piece.
        var arrivals: [Double] = []
        var promptTokens: Int?
        var cachedTokens: Int?
        var completionTokens: Int?

        var ttftSeconds: Double { arrivals.first ?? 0 }

        /// Tokens after the first over the time from the first to the last.
        var decodeTokensPerSecond: Double {
            guard arrivals.count > 1, let first = arrivals.first, let last = arrivals.last, last > first else {
                return 0
            }
            return Double(max(completionTokens ?? arrivals.count, arrivals.count) - 1) / (last - first)
        }
    }

    let target: BenchTarget
    let dialect: Dialect

    /// Sends the request and reads its stream to the end; a refusal is an error naming the route.
    func answer(system: String, question: String, maxTokens: Int) throws -> Result {
        let body = dialect.body(model: target.model, system: system, question: question, maxTokens: maxTokens)
        let stream = try target.client.open(dialect.path, json: body.serialized())
        var result = Result()
        let outcome = BenchEventReader.read(stream) { event, time in read(event: event, at: time, into: &result) }
        result.status = outcome.status
        guard outcome.status == 200 else {
            throw BenchHTTPClient.Failure(
                description: "\(dialect.path): HTTP \(outcome.status): \(outcome.body.prefix(300))")
        }
        return result
    }

    /// Reads one event; `true` for the dialect's last one.
    private func read(event: String, at time: Double, into result: inout Result) -> Bool {
        guard let start = event.firstRange(of: "data:") else { return false }
        let payload = event[start.upperBound...].trimmingPrefix(" ")
        if payload.hasPrefix("[DONE]") { return true }
        guard let value = try? JSONValue(parsing: String(payload)) else { return false }
        func int(_ value: JSONValue?) -> Int? { value?.numberValue.map { Int($0) } }
        switch dialect {
        case .chat:
            if let usage = value["usage"], usage != .null {
                result.promptTokens = int(usage["prompt_tokens"])
                result.cachedTokens = int(usage["prompt_tokens_details"]?["cached_tokens"])
                result.completionTokens = int(usage["completion_tokens"])
            }
            let delta = value["choices"]?.arrayValue?.first?["delta"]
            let piece = (delta?["content"]?.stringValue ?? "") + (delta?["reasoning_content"]?.stringValue ?? "")
            if !piece.isEmpty { result.arrivals.append(time) }
            return false
        case .responses:
            switch value["type"]?.stringValue ?? "" {
            case "response.output_text.delta", "response.reasoning_summary_text.delta":
                if !(value["delta"]?.stringValue ?? "").isEmpty { result.arrivals.append(time) }
                return false
            case "response.completed", "response.incomplete", "response.failed":
                let usage = value["response"]?["usage"]
                result.promptTokens = int(usage?["input_tokens"])
                result.cachedTokens = int(usage?["input_tokens_details"]?["cached_tokens"])
                result.completionTokens = int(usage?["output_tokens"])
                return true
            default:
                return false
            }
        case .messages:
            switch value["type"]?.stringValue ?? "" {
            case "message_start":
                let usage = value["message"]?["usage"]
                let read = int(usage?["cache_read_input_tokens"]) ?? 0
                result.promptTokens = (int(usage?["input_tokens"]) ?? 0) + read
                result.cachedTokens = read
                return false
            case "content_block_delta":
                let delta = value["delta"]
                let piece = (delta?["text"]?.stringValue ?? "") + (delta?["thinking"]?.stringValue ?? "")
                if !piece.isEmpty { result.arrivals.append(time) }
                return false
            case "message_delta":
                // The final usage: the counts `message_start` could not know yet.
                let usage = value["usage"]
                result.completionTokens = int(usage?["output_tokens"])
                if let read = int(usage?["cache_read_input_tokens"]) {
                    result.cachedTokens = read
                    result.promptTokens = (int(usage?["input_tokens"]) ?? 0) + read
                }
                return false
            case "message_stop", "error":
                return true
            default:
                return false
            }
        }
    }
}
