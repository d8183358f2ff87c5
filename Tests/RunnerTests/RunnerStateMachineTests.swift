import Testing

@testable import Runner

/// The runner's bookkeeping, raced without a process: waiters are plain strings.
@Suite struct RunnerStateMachineTests {
    typealias Machine = RunnerStateMachine<String, String>

    private func loadedMachine() -> Machine {
        var machine = Machine()
        guard case .send = machine.startLoad("load") else {
            Issue.record("a fresh runner does not send its load")
            return machine
        }
        let resumed = machine.loaded()
        #expect(resumed == "load")
        return machine
    }

    private func startRequest(_ machine: inout Machine, _ waiter: String) -> UInt64? {
        guard case .send(let id) = machine.startRequest(waiter) else { return nil }
        return id
    }

    @Test func deathDuringLoadFailsTheLoadOnceWithHowTheRunnerEnded() {
        var machine = Machine()
        guard case .send = machine.startLoad("load") else { Issue.record("load not sent"); return }
        let closed = machine.channelClosed()
        #expect(closed)
        let closedAgain = machine.channelClosed()
        #expect(!closedAgain, "a second close must not reap twice")
        let death = machine.reaped(status: "was killed by signal 9 (Killed)")
        #expect(death?.load == "load")
        #expect(death?.reason == "was killed by signal 9 (Killed)")
        let deathAgain = machine.reaped(status: "again")
        #expect(deathAgain == nil, "a waiter must fail only once")
        let resumed = machine.loaded()
        #expect(resumed == nil, "a late `loaded` resumes nothing")
    }

    @Test func loadAskedOfADyingRunnerWaitsForTheReasonAndOfADeadOneFailsAtOnce() {
        var machine = Machine()
        let closed = machine.channelClosed()
        #expect(closed)
        guard case .wait = machine.startLoad("early") else { Issue.record("a dying runner must hold the load"); return }
        let death = machine.reaped(status: "exited with status 1")
        #expect(death?.load == "early")
        guard case .fail(let waiter, let reason) = machine.startLoad("late") else {
            Issue.record("a dead runner must refuse a load"); return
        }
        #expect(waiter == "late")
        #expect(reason == "exited with status 1")
    }

    @Test func aFailedLoadIsNotAFailureOfTheProcessExitThatFollows() {
        var machine = Machine()
        _ = machine.startLoad("load")
        let failedLoad = machine.loadFailed()
        #expect(failedLoad == "load")
        #expect(machine.phase == .unloading)
        guard case .fail = machine.startRequest("request") else {
            Issue.record("no request after a failed load"); return
        }
        let closed = machine.channelClosed()
        #expect(closed)
        let death = machine.reaped(status: "exited with status 1")
        #expect(death?.load == nil)
    }

    @Test func cancelBeforeCompletionSendsACancelAndDropsTheLateReply() {
        var machine = loadedMachine()
        let id = startRequest(&machine, "generation")
        #expect(id != nil)
        guard let id else { return }
        let cancelled = machine.cancel(id: id)
        #expect(cancelled?.waiter == "generation")
        #expect(cancelled?.sendCancel == true)
        let delivered = machine.reply(id: id, final: false)
        #expect(delivered == nil, "a reply after the cancel is dropped")
        let deliveredAgain = machine.reply(id: id, final: true)
        #expect(deliveredAgain == nil)
    }

    @Test func completionBeforeCancelSendsNoCancel() {
        var machine = loadedMachine()
        guard let id = startRequest(&machine, "generation") else { Issue.record("not sent"); return }
        let delivered = machine.reply(id: id, final: false)
        #expect(delivered == "generation")
        let deliveredAgain = machine.reply(id: id, final: true)
        #expect(deliveredAgain == "generation")
        let cancelled = machine.cancel(id: id)
        #expect(cancelled == nil, "a finished request has nothing to cancel")
        #expect(machine.requestsInFlight == 0)
    }

    @Test func replyForAnUnknownIDIsDropped() {
        var machine = loadedMachine()
        guard let id = startRequest(&machine, "request") else { Issue.record("not sent"); return }
        let delivered = machine.reply(id: id + 100, final: true)
        #expect(delivered == nil)
        #expect(machine.requestsInFlight == 1)
    }

    @Test func unloadDuringGenerationsRefusesNewOnesAndFailsTheRestAtDeathOnce() {
        var machine = loadedMachine()
        let first = startRequest(&machine, "first")
        let second = startRequest(&machine, "second")
        #expect(first != nil && second != nil && first != second)
        let sendsUnload = machine.unload()
        #expect(sendsUnload)
        let sendsUnloadAgain = machine.unload()
        #expect(!sendsUnloadAgain, "unload is sent once")
        guard case .fail(let refused, let reason) = machine.startRequest("third") else {
            Issue.record("a request during unload must be refused"); return
        }
        #expect(refused == "third")
        #expect(reason == "is being unloaded")
        if let first {
            let delivered = machine.reply(id: first, final: true)
            #expect(delivered == "first", "replies still arrive")
        }
        machine.unloaded()
        let closed = machine.channelClosed()
        #expect(closed)
        let death = machine.reaped(status: "exited with status 0")
        #expect(death?.waiters == ["second"])
        #expect(death?.reason == "exited", "an acknowledged unload is an ordinary exit")
        #expect(machine.isDead)
    }

    @Test func deathWithWaitersFailsEachOnceAndLaterRequestsAtOnce() {
        var machine = loadedMachine()
        for name in ["a", "b", "c"] { _ = startRequest(&machine, name) }
        let closed = machine.channelClosed()
        #expect(closed)
        guard case .wait = machine.startRequest("while dying") else { Issue.record("must wait for the reason"); return }
        let death = machine.reaped(status: "was killed by signal 11 (Segmentation fault)")
        #expect(death?.waiters == ["a", "b", "c", "while dying"])
        let deathAgain = machine.reaped(status: "again")
        #expect(deathAgain == nil)
        guard case .fail(_, let reason) = machine.startRequest("after") else { Issue.record("must fail"); return }
        #expect(reason == "was killed by signal 11 (Segmentation fault)")
        let cancelled = machine.cancel(id: 1)
        #expect(cancelled == nil)
    }

    @Test func cancelWhileDyingSendsNothing() {
        var machine = loadedMachine()
        guard let id = startRequest(&machine, "generation") else { Issue.record("not sent"); return }
        let closed = machine.channelClosed()
        #expect(closed)
        let cancelled = machine.cancel(id: id)
        #expect(cancelled?.sendCancel == false)
        let death = machine.reaped(status: "exited with status 0")
        #expect(death?.waiters == [])
    }
}
