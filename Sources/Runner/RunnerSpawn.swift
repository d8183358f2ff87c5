import EngineSupport
import Glibc
import InferenceTypes

/// Starting a runner: a socket pair, and the executable spawned with its end as descriptor 3.
enum RunnerSpawn {
    /// The descriptor a runner finds its socket on.
    static let childDescriptor: Int32 = 3

    /// Spawns `executable runner ...` and returns its pid and the server's end of the socket.
    static func spawn(executable: String, arguments: [String], environment: [String: String])
        throws(InferenceError) -> (pid: pid_t, descriptor: Int32)
    {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .engineFailure("cannot create a socket for a runner: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto 3 clears close-on-exec for the child's copy; the server opens its own descriptors
        // close-on-exec (NIO does, and so does this pair), so a runner inherits nothing else.
        posix_spawn_file_actions_adddup2(&actions, pair[1], childDescriptor)

        let argv = ([executable, "runner"] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(
                    &pid, executable, &actions, nil, UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                    UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        Glibc.close(pair[1])
        guard status == 0 else {
            Glibc.close(pair[0])
            throw .engineFailure(
                "cannot start the runner process \(executable): \(String(cString: strerror(status)))")
        }
        return (pid, pair[0])
    }

    /// How a process ended, in words, from what `waitid` reported.
    static func describe(signalInfo info: siginfo_t) -> String {
        let status = info._sifields._sigchld.si_status
        if info.si_code == Int32(CLD_EXITED) { return "exited with status \(status)" }
        let name = strsignal(status).map { String(cString: $0) } ?? "signal \(status)"
        return "was killed by signal \(status) (\(name))"
    }
}
