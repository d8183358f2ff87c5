/// A model made from another by `POST /api/create`: the base model's file (never a copy of its weights) with
/// defaults of its own, kept as `<name>.derived.json` in the models directory. A request to it runs on the base
/// model's engine with these defaults under what the request itself sets.
public struct DerivedModel: Sendable, Hashable, Codable {
    /// One message put before every conversation.
    public struct Message: Sendable, Hashable, Codable {
        /// `system`, `user` or `assistant`.
        public var role: String
        /// The text.
        public var content: String

        /// Creates a message.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// Default parameters, under Ollama's names; each `nil` leaves the base model's default.
    public struct Parameters: Sendable, Hashable, Codable {
        public var temperature: Double?
        public var topP: Double?
        public var topK: Int?
        public var minP: Double?
        public var repeatPenalty: Double?
        public var repeatLastN: Int?
        public var presencePenalty: Double?
        public var frequencyPenalty: Double?
        public var seed: Int?
        public var numCtx: Int?
        public var numPredict: Int?
        public var stop: [String]?

        enum CodingKeys: String, CodingKey {
            case temperature, seed, stop
            case topP = "top_p", topK = "top_k", minP = "min_p", repeatPenalty = "repeat_penalty"
            case repeatLastN = "repeat_last_n", presencePenalty = "presence_penalty"
            case frequencyPenalty = "frequency_penalty", numCtx = "num_ctx", numPredict = "num_predict"
        }

        /// No defaults.
        public init() {}

        /// Each parameter that is set, as Ollama's `/api/show` lists them (name, value), in a fixed order.
        public var listed: [(name: String, value: String)] {
            var list: [(String, String)] = []
            func add(_ name: String, _ value: (some Any)?) { if let value { list.append((name, "\(value)")) } }
            add("num_ctx", numCtx)
            add("num_predict", numPredict)
            add("temperature", temperature)
            add("top_k", topK)
            add("top_p", topP)
            add("min_p", minP)
            add("repeat_penalty", repeatPenalty)
            add("repeat_last_n", repeatLastN)
            add("presence_penalty", presencePenalty)
            add("frequency_penalty", frequencyPenalty)
            add("seed", seed)
            for stop in stop ?? [] { list.append(("stop", "\"\(stop)\"")) }
            return list
        }
    }

    /// The name it is listed under (lower case, as the models directory's names are).
    public var name: String
    /// The base model's file name in the models directory.
    public var from: String
    /// The system prompt of a conversation that has none.
    public var system: String?
    /// A Jinja chat template used instead of the base model's.
    public var template: String?
    /// Default parameters.
    public var parameters: Parameters
    /// Messages put before every conversation (after its system prompt).
    public var messages: [Message]

    /// Creates a definition.
    public init(
        name: String, from: String, system: String? = nil, template: String? = nil,
        parameters: Parameters = Parameters(), messages: [Message] = []
    ) {
        self.name = name
        self.from = from
        self.system = system
        self.template = template
        self.parameters = parameters
        self.messages = messages
    }
}
