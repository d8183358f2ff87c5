import NIOCore

/// Splits the bytes of a runner's socket into frames: a 4-byte big-endian length, then that many bytes of
/// payload. A length above `maxFrameBytes` is an error (the channel then closes), so a corrupted or hostile
/// length cannot make the server buffer gigabytes.
struct RunnerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Frames larger than this are refused.
    static let maxFrameBytes = 256 << 20

    /// The error a too large length raises.
    struct FrameTooLarge: Error, Equatable {
        /// The length the header announced.
        var length: Int
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= Self.maxFrameBytes else { throw FrameTooLarge(length: Int(length)) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let payload = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(payload))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A partial frame at the end of the stream is dropped: the runner died mid-write.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
