import FoundationEssentials
import InferenceCore
import OrderedJSON

/// A streamed `/v1/chat/completions` as a client sees it: when each content token arrived and what the
/// server reported for usage. Works against any OpenAI-compatible server.
struct BenchChat {
    /// One answer.
    struct Result {
        var status: Int
        /// Seconds from sending the request to each content (or reasoning) piece.
        var arrivals: [Double] = []
        var promptTokens: Int?
        var completionTokens: Int?
        /// The body of a refused request, for the error message.
        var body = ""

        var ttftSeconds: Double { arrivals.first ?? 0 }

        /// Tokens after the first over the time from the first to the last (the server's token count when it
        /// reported one, else the pieces counted).
        var decodeTokensPerSecond: Double {
            guard arrivals.count > 1, let first = arrivals.first, let last = arrivals.last, last > first else {
                return 0
            }
            let tokens = max(completionTokens ?? arrivals.count, arrivals.count)
            return Double(tokens - 1) / (last - first)
        }

        var inputTokensPerSecond: Double {
            guard let promptTokens, ttftSeconds > 0 else { return 0 }
            return Double(promptTokens) / ttftSeconds
        }

        var tokens: Int { max(completionTokens ?? 0, arrivals.count) }
    }

    let target: BenchTarget

    /// Sends `messages` and reads the stream; `hangUpAfter` pieces, it closes the connection as Stop does.
    /// `onFirstPiece` runs once, when the first piece arrives.
    func run(
        _ messages: [(role: String, content: String)], maxTokens: Int, extra: [JSONMember] = [],
        hangUpAfter: Int? = nil, stream handed: ((BenchStream) -> Void)? = nil
    ) throws -> Result {
        var members: [JSONMember] = [
            JSONMember("model", .string(target.model)),
            JSONMember(
                "messages",
                .array(messages.map { ["role": .string($0.role), "content": .string($0.content)] })),
            JSONMember("max_tokens", .int(maxTokens)), JSONMember("temperature", .int(0)),
            JSONMember("stream", .bool(true)), JSONMember("stream_options", ["include_usage": true]),
        ]
        members += extra
        let stream = try target.client.open("/v1/chat/completions", json: JSONValue.object(members).serialized())
        handed?(stream)
        var result = Result(status: 0)
        let outcome = BenchEventReader.read(stream) {
            hangUpAfter.map { result.arrivals.count >= $0 } ?? false
        } event: { event, time in
            // `[DONE]` ends the answer, whether or not the server closes the connection.
            read(event: event, at: time, into: &result)
        }
        result.status = outcome.status
        result.body = outcome.body
        return result
    }

    /// Reads one event into `result`; `true` for the stream's last (`[DONE]`).
    private func read(event: String, at time: Double, into result: inout Result) -> Bool {
        guard let start = event.firstRange(of: "data: ") ?? event.firstRange(of: "data:") else { return false }
        let payload = event[start.upperBound...].trimmingPrefix(" ")
        if payload.hasPrefix("[DONE]") { return true }
        guard let value = try? JSONValue(parsing: String(payload)) else { return false }
        if let usage = value["usage"], usage != .null {
            result.promptTokens = usage["prompt_tokens"]?.numberValue.map { Int($0) }
            result.completionTokens = usage["completion_tokens"]?.numberValue.map { Int($0) }
        }
        guard let delta = value["choices"]?.arrayValue?.first?["delta"] else { return false }
        let content = delta["content"]?.stringValue ?? ""
        let reasoning = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue ?? ""
        if !content.isEmpty || !reasoning.isEmpty { result.arrivals.append(time) }
        return false
    }

    /// Like `run`, but a refusal is an error.
    func answer(
        _ messages: [(role: String, content: String)], maxTokens: Int, extra: [JSONMember] = [],
        hangUpAfter: Int? = nil
    ) throws -> Result {
        let result = try run(messages, maxTokens: maxTokens, extra: extra, hangUpAfter: hangUpAfter)
        guard result.status == 200 else {
            throw BenchHTTPClient.Failure(description: "\(target.label): HTTP \(result.status): \(result.body)")
        }
        return result
    }
}
