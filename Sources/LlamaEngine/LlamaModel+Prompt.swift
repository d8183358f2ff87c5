import CLlama
import InferenceTypes

extension LlamaModel {
    /// The tokens of a generation's input, as the engine evaluates it: a conversation through the model's
    /// template, raw text with BOS when the model wants one, a rendered conversation as it is.
    func promptTokens(for input: GenerationInput) throws(InferenceError) -> [llama_token] {
        switch input {
        case .chat(let messages):
            try tokenize(renderChat(messages), addSpecial: true, parseSpecial: true)
        case .text(let text):
            try tokenize(text, addSpecial: true, parseSpecial: true)
        case .rendered(let text):
            try tokenize(text, addSpecial: false, parseSpecial: true)
        }
    }
}
