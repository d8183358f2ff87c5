import FoundationEssentials
import NIOCore

/// One event of a streamed response, in the shapes of the SDK's `ResponseStreamEvent` union: every event has
/// its `type` and `sequence_number`; the other members are those its type carries (absent ones are left out).
struct ResponseStreamEvent: Encodable, Sendable {
    /// A content part of a message (`output_text`) or of a reasoning item's summary (`summary_text`).
    enum Part: Encodable, Sendable {
        case outputText(String)
        case summaryText(String)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .outputText(let text): try OutputText(text: text).encode(to: encoder)
            case .summaryText(let text): try SummaryText(text: text).encode(to: encoder)
            }
        }
    }

    var type: String
    var sequenceNumber: Int
    var response: ResponseObject?
    var outputIndex: Int?
    var item: ResponseOutputItem?
    var itemID: String?
    var contentIndex: Int?
    var summaryIndex: Int?
    var part: Part?
    var delta: String?
    var text: String?
    var arguments: String?
    var name: String?
    var logprobs: [String]?

    enum CodingKeys: String, CodingKey {
        case type, response, item, part, delta, text, arguments, name, logprobs
        case sequenceNumber = "sequence_number"
        case outputIndex = "output_index"
        case itemID = "item_id"
        case contentIndex = "content_index"
        case summaryIndex = "summary_index"
    }

    /// An event of an output item: `item_id` and `output_index` set.
    init(_ type: String, _ sequenceNumber: Int, item id: String, at index: Int) {
        self.type = type
        self.sequenceNumber = sequenceNumber
        self.itemID = id
        self.outputIndex = index
    }

    /// An event of the whole response.
    init(_ type: String, _ sequenceNumber: Int, response: ResponseObject) {
        self.type = type
        self.sequenceNumber = sequenceNumber
        self.response = response
    }

    /// `response.output_item.added` or `.done`.
    init(_ type: String, _ sequenceNumber: Int, item: ResponseOutputItem, at index: Int) {
        self.type = type
        self.sequenceNumber = sequenceNumber
        self.item = item
        self.outputIndex = index
    }
}

/// Encodes `event: <type>\ndata: <json>\n\n` frames, the framing of a Responses stream (no `[DONE]`).
struct ResponseEventEncoder: Sendable {
    private let encoder: JSONEncoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// The frame of one event.
    func frame(_ event: ResponseStreamEvent) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: \(event.type)\ndata: ")
        buffer.writeBytes(try encoder.encode(event))
        buffer.writeString("\n\n")
        return buffer
    }

    /// A value as JSON (a whole response, an error body).
    func json(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }
}
