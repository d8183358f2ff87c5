import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes
import OrderedJSON

extension OllamaController {
    /// `POST /api/create`: a derived model `from` an existing one (its system prompt, template, parameters and
    /// messages; no copy of the weights), or a model made of an uploaded blob (`files`). The model is made
    /// before the answer starts, so every refusal is a 4xx; then Ollama's status lines (streamed, the
    /// default) or one `{"status":"success"}` (`stream: false`).
    @Sendable func create(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaCreateRequest.self, from: &request, limit: maxBodyBytes)
            let creation = try body.creation()
            let model = try await service.createModel(creation)
            guard body.stream ?? true else { return try json(OllamaPullStatus(status: "success")) }
            let layer = "sha256:" + OllamaNames.digest(model)
            var lines = ByteBuffer()
            for status in [
                creation.files.isEmpty ? "using existing layer \(layer)" : "creating new layer \(layer)",
                "writing manifest", "success",
            ] {
                var line = try NDJSON.line(OllamaPullStatus(status: status))
                lines.writeBuffer(&line)
            }
            return Response(status: .ok, headers: NDJSON.headers, body: .init(byteBuffer: lines))
        }
    }
}

/// The body of `POST /api/create`; `name` is the older spelling of `model`. `license` is accepted and not
/// kept; `quantize` and `adapters` are refused (nothing here quantizes or applies LoRA adapters).
struct OllamaCreateRequest: Decodable, Sendable {
    var model: String?
    var name: String?
    var from: String?
    var files: [String: String]?
    var adapters: [String: String]?
    var quantize: String?
    var template: String?
    var system: String?
    var parameters: OllamaOptions?
    var messages: [OllamaMessage]?
    var license: JSONValue?
    var stream: Bool?

    /// What to create, or a 400 saying what cannot be.
    func creation() throws(OllamaError) -> ModelCreation {
        guard let name = model ?? name, !name.isEmpty else { throw .badRequest("model is required") }
        if let quantize, !quantize.isEmpty {
            throw .badRequest("quantize is not supported: this server does not quantize; upload a quantized file")
        }
        if let adapters, !adapters.isEmpty { throw .badRequest("adapters are not supported by this server") }
        let messages = try (messages ?? []).map { message throws(OllamaError) -> DerivedModel.Message in
            guard ["system", "user", "assistant"].contains(message.role) else {
                throw .badRequest("invalid message role \"\(message.role)\": use system, user or assistant")
            }
            return DerivedModel.Message(role: message.role, content: message.content)
        }
        return ModelCreation(
            name: OllamaNames.resolvable(name), from: from.map(OllamaNames.resolvable), files: files ?? [:],
            system: system, template: template, parameters: Self.parameters(parameters ?? OllamaOptions()),
            messages: messages)
    }

    /// The defaults `parameters` set, under their Ollama names.
    static func parameters(_ options: OllamaOptions) -> DerivedModel.Parameters {
        var parameters = DerivedModel.Parameters()
        parameters.temperature = options.temperature
        parameters.topP = options.topP
        parameters.topK = options.topK
        parameters.minP = options.minP
        parameters.repeatPenalty = options.repeatPenalty
        parameters.repeatLastN = options.repeatLastN
        parameters.presencePenalty = options.presencePenalty
        parameters.frequencyPenalty = options.frequencyPenalty
        parameters.seed = options.seed
        parameters.numCtx = options.numCtx
        parameters.numPredict = options.numPredict
        parameters.stop = options.stop
        return parameters
    }
}
