import NIOCore

/// Writes each payload as one frame: its length as 4 bytes, big-endian, then the payload.
struct RunnerFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= RunnerFrameDecoder.maxFrameBytes else {
            throw RunnerFrameDecoder.FrameTooLarge(length: data.readableBytes)
        }
        out.reserveCapacity(out.writerIndex + 4 + data.readableBytes)
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}
