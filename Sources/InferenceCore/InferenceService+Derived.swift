import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
import OrderedJSON

extension InferenceService {
    /// The defaults of a model made by `POST /api/create`; `nil` for a model file without any.
    public func derivedModel(of model: ModelDescriptor) -> DerivedModel? {
        registry.derivedDefinition(of: model)
    }

    /// Creates (or, for a derived model, replaces) a model: a definition over an existing model's file
    /// (`from`, no copy of the weights), or an uploaded blob made a model file (`files`, a hard link when the
    /// file system allows), with the defaults asked for.
    ///
    /// Throws `.invalidRequest` for a name that is not usable or is another model file's, neither or both of
    /// `from` and `files`, an unknown blob, a file that is not `.gguf` or `.rkllm`, a template that is not a
    /// Jinja chat template (an Ollama Go template is refused saying so), and a `num_ctx` that is not positive;
    /// `.modelNotFound` for a `from` that names no model.
    public func createModel(_ creation: ModelCreation) async throws -> ModelDescriptor {
        let name = try ModelRegistry.checkedModelName(creation.name)
        if let template = creation.template { try Self.checkTemplate(template) }
        if let context = creation.parameters.numCtx, context <= 0 {
            throw InferenceError.invalidRequest("num_ctx must be a positive integer")
        }
        switch (creation.from, creation.files.isEmpty) {
        case (let from?, true):
            return try derive(creation, named: name, from: from)
        case (nil, false):
            return try install(creation, named: name)
        case (nil, true):
            throw InferenceError.invalidRequest("neither 'from' nor 'files' was specified")
        case (.some, false):
            throw InferenceError.invalidRequest("give either 'from' or 'files', not both")
        }
    }

    /// Whether the blob of that digest is stored; `.invalidRequest` for a malformed digest.
    public func hasBlob(digest: String) throws(InferenceError) -> Bool {
        blobs.contains(hex: try BlobStore.hex(of: digest))
    }

    /// Starts storing the blob of that digest; `.invalidRequest` for a malformed digest.
    public func blobUpload(digest: String) throws(InferenceError) -> BlobUpload {
        try BlobUpload(store: blobs, hex: try BlobStore.hex(of: digest))
    }

    private var blobs: BlobStore { BlobStore(modelsDirectory: registry.directory) }

    private func derive(_ creation: ModelCreation, named name: String, from: String) throws -> ModelDescriptor {
        let base = try model(named: from)
        let inherited = registry.derivedDefinition(of: base)
        let existing = registry.resolve(name)
        var definitionName = name
        if let existing, !registry.isDerivedOnly(existing) {
            // The name of a model file: only that file itself may get defaults under it.
            guard existing.path == base.path else {
                throw InferenceError.invalidRequest(
                    "a model file named \(existing.id) already exists; remove it or choose another name")
            }
            definitionName = existing.id
        }
        var parameters = creation.parameters
        if let inherited { parameters = Self.merged(parameters, under: inherited.parameters) }
        let definition = DerivedModel(
            name: definitionName, from: base.fileName, system: creation.system ?? inherited?.system,
            template: creation.template ?? inherited?.template, parameters: parameters,
            messages: creation.messages.isEmpty ? inherited?.messages ?? [] : creation.messages)
        return try registry.saveDefinition(definition)
    }

    private func install(_ creation: ModelCreation, named name: String) throws -> ModelDescriptor {
        guard creation.files.count == 1, let file = creation.files.first else {
            throw InferenceError.invalidRequest("'files' must name exactly one model file (.gguf or .rkllm)")
        }
        let (fileName, digest) = (file.key, file.value)
        let fileExtension = PathNames.fileExtension(fileName).lowercased()
        guard ModelFormat(fileExtension: fileExtension) != nil else {
            throw InferenceError.invalidRequest(
                "\(fileName) is not a model file: only .gguf and .rkllm files are served")
        }
        let hex = try BlobStore.hex(of: digest)
        if let existing = registry.resolve(name) {
            throw InferenceError.invalidRequest(
                "a model named \(existing.id) already exists; remove it or choose another name")
        }
        let model = try blobs.install(hex: hex, as: "\(name).\(fileExtension)", in: registry)
        guard creation.hasDefaults else { return model }
        return try registry.saveDefinition(
            DerivedModel(
                name: model.id, from: model.fileName, system: creation.system, template: creation.template,
                parameters: creation.parameters, messages: creation.messages))
    }

    /// `parameters` with each one it leaves out taken from `defaults`.
    static func merged(_ parameters: DerivedModel.Parameters, under defaults: DerivedModel.Parameters)
        -> DerivedModel.Parameters
    {
        var merged = parameters
        merged.temperature = merged.temperature ?? defaults.temperature
        merged.topP = merged.topP ?? defaults.topP
        merged.topK = merged.topK ?? defaults.topK
        merged.minP = merged.minP ?? defaults.minP
        merged.repeatPenalty = merged.repeatPenalty ?? defaults.repeatPenalty
        merged.repeatLastN = merged.repeatLastN ?? defaults.repeatLastN
        merged.presencePenalty = merged.presencePenalty ?? defaults.presencePenalty
        merged.frequencyPenalty = merged.frequencyPenalty ?? defaults.frequencyPenalty
        merged.seed = merged.seed ?? defaults.seed
        merged.numCtx = merged.numCtx ?? defaults.numCtx
        merged.numPredict = merged.numPredict ?? defaults.numPredict
        merged.stop = merged.stop ?? defaults.stop
        return merged
    }

    /// A template must be a Jinja chat template that parses; Ollama's Go templates (`{{ .Prompt }}`) are not.
    static func checkTemplate(_ template: String) throws(InferenceError) {
        if isGoTemplate(template) {
            throw .invalidRequest(
                "the template is an Ollama Go template ({{ .Prompt }}, {{ range .Messages }}); this server renders "
                    + "Jinja chat templates (the Hugging Face tokenizer.chat_template format): give one of those")
        }
        do {
            _ = try ChatTemplateRenderer(template: template, bosToken: "", eosToken: "")
        } catch {
            let reason: String
            if case .modelLoadFailed(_, let why) = error { reason = why } else { reason = "\(error)" }
            throw .invalidRequest("the template is not a Jinja chat template that parses (\(reason))")
        }
    }

    /// Whether a template uses Go's syntax: an action that starts with a field (`{{ .System }}`) or with one of
    /// Go's keywords (`{{ end }}`, `{{ range .Messages }}`, `{{ if .System }}`); Jinja writes neither.
    static func isGoTemplate(_ template: String) -> Bool {
        var rest = template[...]
        while let open = rest.firstRange(of: "{{") {
            rest = rest[open.upperBound...]
            let action = rest.drop { $0 == "-" || $0 == " " || $0 == "\t" || $0 == "\n" }
            if action.first == "." { return true }
            let word = action.prefix { $0.isLetter }
            let after = action.dropFirst(word.count)
            guard let next = after.first, next == " " || next == "}" || next == "-" else { continue }
            switch word {
            case "end", "range", "with", "define", "template", "block": return true
            case "if", "else":
                if after.drop(while: { $0 == " " || $0 == "i" || $0 == "f" }).first == "." { return true }
            default: break
            }
        }
        return false
    }
}
