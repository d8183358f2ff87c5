/// Message content: a string, or an array of typed parts: text, and images (`image_url`) which
/// `ChatCompletionRequest.Message.chatMessage(at:)` reads; any other part is kept to be refused there by place.
public struct MessageContent: Decodable, Sendable, Equatable {
    /// One part of an array content.
    public struct Part: Decodable, Sendable, Equatable {
        /// `text`, `image_url`, or a type this server does not read (`input_audio`, `file`).
        public var type: String
        /// A text part's text.
        public var text: String?
        /// An image part's URL: `image_url.url`, or `image_url` itself when a client sends the short form.
        public var imageURL: String?

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }

        private struct ImageURL: Decodable {
            var url: String?
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            text = try container.decodeIfPresent(String.self, forKey: .text)
            if let url = try? container.decodeIfPresent(String.self, forKey: .imageURL) {
                imageURL = url
            } else {
                imageURL = try container.decodeIfPresent(ImageURL.self, forKey: .imageURL)?.url ?? nil
            }
        }
    }

    /// The text of the message, its text parts joined in order.
    public var text: String
    /// The parts, in order; empty for a string content.
    public var parts: [Part]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
            parts = []
        } else if let string = try? container.decode(String.self) {
            text = string
            parts = []
        } else {
            parts = try container.decode([Part].self)
            text = parts.compactMap { $0.type == "text" ? $0.text : nil }.joined()
        }
    }
}
