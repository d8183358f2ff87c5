import Glibc

/// Another process that keeps one core busy (`sh -c 'while :; do :; done'`), as Home Assistant or a browser
/// on the same board might; the bench starts it and stops it.
final class BusyLoop {
    private let pid: pid_t
    private var stopped = false

    init() throws {
        let arguments = ["/bin/sh", "-c", "while :; do :; done"]
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { cArguments.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], nil, nil, cArguments, environ)
        guard result == 0 else { throw BenchHTTPClient.Failure(description: "cannot start a busy loop: \(result)") }
        pid = child
    }

    deinit { stop() }

    /// Kills it (once) and reaps it.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }
}
