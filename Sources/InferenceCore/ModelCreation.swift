public import InferenceTypes

/// What `POST /api/create` asks for: a model named `name`, either derived `from` an existing model or made of
/// an uploaded blob (`files`), with optional defaults.
public struct ModelCreation: Sendable {
    /// The new model's name.
    public var name: String
    /// The model it derives from, by any name it answers to; `nil` when it is made of `files`.
    public var from: String?
    /// The model file, `<file name>.gguf|.rkllm` → `sha256:<hex>` of an uploaded blob.
    public var files: [String: String]
    /// The system prompt of a conversation that has none.
    public var system: String?
    /// A Jinja chat template used instead of the base model's.
    public var template: String?
    /// Default parameters.
    public var parameters: DerivedModel.Parameters
    /// Messages put before every conversation.
    public var messages: [DerivedModel.Message]

    /// Creates a request.
    public init(
        name: String, from: String? = nil, files: [String: String] = [:], system: String? = nil,
        template: String? = nil, parameters: DerivedModel.Parameters = DerivedModel.Parameters(),
        messages: [DerivedModel.Message] = []
    ) {
        self.name = name
        self.from = from
        self.files = files
        self.system = system
        self.template = template
        self.parameters = parameters
        self.messages = messages
    }

    /// Whether it sets anything beyond the model's file.
    var hasDefaults: Bool {
        system != nil || template != nil || !messages.isEmpty || parameters != DerivedModel.Parameters()
    }
}
