import NIOCore
import NIOEmbedded
import Testing

@testable import Runner

/// The frames of a runner's socket, decoded and encoded on an embedded channel.
@Suite struct RunnerFrameCodecTests {
    private func decodingChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RunnerFrameDecoder()))
        return channel
    }

    private func frame(_ text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(text.utf8.count))
        buffer.writeString(text)
        return buffer
    }

    @Test func framesSplitAcrossReadsAndJoinedInOneReadComeOutWhole() throws {
        let channel = try decodingChannel()
        var bytes = frame("{\"unloaded\":{}}")
        bytes.writeImmutableBuffer(frame("second"))
        bytes.writeImmutableBuffer(frame(""))
        // One byte at a time: the decoder must wait for the header and the payload.
        while let byte = bytes.readSlice(length: 1) { try channel.writeInbound(byte) }
        let payloads = try [0, 1, 2].map { _ in try channel.readInbound(as: ByteBuffer.self) }
        #expect(payloads.map { $0.map { String(buffer: $0) } } == ["{\"unloaded\":{}}", "second", ""])
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }

    @Test func aLengthAboveTheCapIsAnErrorBeforeAnyPayloadIsBuffered() throws {
        let channel = try decodingChannel()
        var header = ByteBuffer()
        header.writeInteger(UInt32(RunnerFrameDecoder.maxFrameBytes + 1))
        #expect(throws: RunnerFrameDecoder.FrameTooLarge(length: RunnerFrameDecoder.maxFrameBytes + 1)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test func aGarbageLengthOfFourGigabytesIsRefused() throws {
        let channel = try decodingChannel()
        let garbage = ByteBuffer(bytes: [0xff, 0xff, 0xff, 0xff, 0x7b])
        #expect(throws: RunnerFrameDecoder.FrameTooLarge.self) { try channel.writeInbound(garbage) }
        _ = try? channel.finish()
    }

    @Test func aPartialFrameAtTheEndOfTheStreamIsDropped() throws {
        let channel = try decodingChannel()
        var partial = ByteBuffer()
        partial.writeInteger(UInt32(10))
        partial.writeString("abc")
        try channel.writeInbound(partial)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func theEncoderPrefixesTheBigEndianLength() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RunnerFrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "hello"))
        let written = try channel.readOutbound(as: ByteBuffer.self)
        #expect(written.map { Array($0.readableBytesView) } == [0, 0, 0, 5] + Array("hello".utf8))
        _ = try channel.finish()
    }

    @Test func textFramesCarryTheIDAndAnyUTF8AndOtherPayloadsAreNotText() {
        let encoded = RunnerTextFrame.encode(id: 0x0102_0304_0506_0708, text: "héllo 🦙")
        let decoded = RunnerTextFrame.decode(ByteBuffer(bytes: encoded))
        #expect(decoded?.id == 0x0102_0304_0506_0708)
        #expect(decoded?.text == "héllo 🦙")
        #expect(RunnerTextFrame.decode(ByteBuffer(string: "{\"unloaded\":{}}")) == nil)
        #expect(RunnerTextFrame.decode(ByteBuffer(bytes: [RunnerTextFrame.marker, 0, 0])) == nil)
    }
}
