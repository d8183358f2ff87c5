import DialectSupport
import NIOCore

/// The frames of one output item's text deltas, rendered once per item: from token to token only the text and
/// the `sequence_number` change, so each frame is the rendered event cut at those two places. This keeps the
/// per-token work to copying bytes, as `TextDeltaFrames` does for chat.
struct SequencedDeltaFrames: Sendable {
    /// Why frames could not be prepared: the rendered frame did not hold the text and the number once each.
    struct RenderError: Error {}

    private static let textMarker = "ROCKCHIPLLAMARESPONSEDELTA"
    private static let numberMarker = 987_654_321_012_345
    private let head: [UInt8]
    private let middle: [UInt8]
    private let tail: [UInt8]
    private let textFirst: Bool

    /// Renders a whole frame with marker values through `render(text, sequenceNumber)` and cuts it there.
    init(render: (String, Int) throws -> ByteBuffer) throws {
        let rendered = Array(try render(Self.textMarker, Self.numberMarker).readableBytesView)
        guard let text = rendered.firstRange(of: Array("\"\(Self.textMarker)\"".utf8)),
            let number = rendered.firstRange(of: Array(String(Self.numberMarker).utf8)),
            !text.overlaps(number)
        else { throw RenderError() }
        textFirst = text.lowerBound < number.lowerBound
        let (first, second) = textFirst ? (text, number) : (number, text)
        head = Array(rendered[..<first.lowerBound])
        middle = Array(rendered[first.upperBound..<second.lowerBound])
        tail = Array(rendered[second.upperBound...])
    }

    /// The frame that carries `text` as event number `sequenceNumber`.
    func frame(_ text: String, sequenceNumber: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.count + middle.count + tail.count + text.utf8.count + 28)
        buffer.writeBytes(head)
        if textFirst {
            JSONString.write(text, to: &buffer)
            buffer.writeBytes(middle)
            buffer.writeString(String(sequenceNumber))
        } else {
            buffer.writeString(String(sequenceNumber))
            buffer.writeBytes(middle)
            JSONString.write(text, to: &buffer)
        }
        buffer.writeBytes(tail)
        return buffer
    }
}
