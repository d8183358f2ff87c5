import Glibc
import NIOCore
import NIOPosix
import Synchronization

extension RunnerProcess {
    /// The socket closed: the runner is reaped (killed if it has not exited within the grace period), then
    /// every request still waiting fails with how it ended. Runs once, however often it is called.
    func channelClosed() {
        guard state.withLock({ $0.machine.channelClosed() }) else { return }
        guard let pid else {
            reaped(status: "closed its socket")
            return
        }
        let kill = eventLoop.scheduleTask(in: Self.exitGracePeriod) { [self] in killIfAlive() }
        // A blocking wait, on NIO's pool rather than the cooperative one; it ends at the latest with the kill.
        NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) { [self] in
            let status = Self.waitForExit(pid)
            kill.cancel()
            reaped(status: status)
            // Only now, with the machine dead (so `killIfAlive` no longer signals it), is the pid released.
            var ignored: Int32 = 0
            while waitpid(pid, &ignored, 0) < 0 && errno == EINTR {}
        }.whenFailure { [self] error in
            reaped(status: "could not be waited for: \(error)")
        }
    }

    /// Sends SIGKILL unless the process is reaped. Under the lock: the pid is not released while it is held.
    func killIfAlive() {
        state.withLock { state in
            guard !state.machine.isDead, let pid else { return }
            Glibc.kill(pid, SIGKILL)
        }
    }

    private func reaped(status: String) {
        guard let death = state.withLock({ $0.machine.reaped(status: status) }) else { return }
        death.load?.resume(throwing: Self.died("\(death.reason) while loading"))
        for waiter in death.waiters { waiter.fail(Self.died(death.reason)) }
        exited.succeed()
    }

    /// Waits until `pid` has ended, leaving it a zombie (`WNOWAIT`), and says how it ended.
    private static func waitForExit(_ pid: pid_t) -> String {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 {
            guard errno == EINTR else { return "could not be waited for (\(String(cString: strerror(errno))))" }
        }
        return RunnerSpawn.describe(signalInfo: info)
    }
}
