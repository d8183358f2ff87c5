import EngineSupport
import InferenceTypes
import NIOCore

/// The last handler of a runner's channel: decodes each frame into a reply for the process, closes the
/// channel on a frame it cannot read, and tells the process when the channel has closed.
final class RunnerReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let process: RunnerProcess

    init(process: RunnerProcess) {
        self.process = process
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        if let (id, text) = RunnerTextFrame.decode(payload) {
            process.handle(.event(id: id, event: .text(text)))
        } else if let reply = RunnerJSON.decode(RunnerReply.self, from: payload.readableBytesView) {
            process.handle(reply)
        } else {
            // A runner that sends garbage cannot be trusted with the requests in flight.
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        process.channelClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
