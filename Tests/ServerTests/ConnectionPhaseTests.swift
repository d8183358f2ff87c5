import NIOCore
import Testing

@testable import Server

@Suite struct ConnectionPhaseTests {
    let timeouts = ConnectionTimeouts(ConnectionLimits(headerTimeout: 30, bodyTimeout: 60, idleTimeout: 120))
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func aNewConnectionMustSendItsHeadWithinTheHeaderTimeout() {
        let phase = ConnectionPhase(now: start)
        #expect(phase.wait(timeouts) == .header(start + .seconds(30), bytesReceived: false))
        #expect(phase.isIdle)
    }

    @Test func aRequestBeingAnsweredNeverTimesOutHoweverLongItTakes() {
        var phase = ConnectionPhase(now: start)
        phase.headArrived(at: start)
        phase.requestEnded(at: start)
        #expect(phase.wait(timeouts) == .none)
        phase.responseStarted()
        #expect(phase.wait(timeouts) == .none)
        #expect(!phase.isIdle)
    }

    @Test func aBodyMayStallForTheBodyTimeoutSinceItsLastBytes() {
        var phase = ConnectionPhase(now: start)
        phase.headArrived(at: start)
        phase.bodyArrived(at: start + .seconds(5))
        #expect(phase.wait(timeouts) == .body(start + .seconds(65)))
        phase.responseStarted()
        #expect(phase.wait(timeouts) == .none)
    }

    @Test func aKeptAliveConnectionIdlesThenHasTheHeaderTimeoutOnceBytesArrive() {
        var phase = ConnectionPhase(now: start)
        phase.headArrived(at: start)
        phase.requestEnded(at: start)
        phase.responseStarted()
        phase.responseEnded(at: start + .seconds(10))
        #expect(phase.isIdle)
        #expect(phase.wait(timeouts) == .idle(start + .seconds(130)))
        phase.bytesArrived(at: start + .seconds(20))
        #expect(phase.wait(timeouts) == .header(start + .seconds(50), bytesReceived: true))
    }

    @Test func aTimeoutOfZeroIsNoLimit() {
        let none = ConnectionTimeouts(ConnectionLimits(headerTimeout: 0, bodyTimeout: 0, idleTimeout: 0))
        var phase = ConnectionPhase(now: start)
        #expect(phase.wait(none) == .none)
        phase.headArrived(at: start)
        #expect(phase.wait(none) == .none)
    }

    @Test func theDefaultCapLeavesDescriptorsForTheServerItself() {
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 128) == 64)
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 1 << 20) == 1024)
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 40) == 8)
        #expect(ConnectionLimits(maxConnections: 5).effectiveMaxConnections == 5)
    }
}
