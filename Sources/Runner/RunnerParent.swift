import Glibc

/// A runner's tie to the server that started it: the kernel kills the runner when the server ends, so the
/// runner never polls for its parent.
public enum RunnerParent {
    /// Asks for SIGKILL when the parent ends (`PR_SET_PDEATHSIG`), then exits at once if `parent` is already
    /// gone (it may have ended before the request). Call first thing in the runner.
    public static func dieWithParent(_ parent: Int32) {
        // `prctl` is variadic, which Swift does not import; on Linux's ABIs its integer arguments are passed as
        // for a fixed signature, so it is called through one.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG in <linux/prctl.h>, which Glibc does not export
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "prctl") {
            _ = unsafeBitCast(symbol, to: Prctl.self)(setParentDeathSignal, UInt(SIGKILL), 0, 0, 0)
        }
        if getppid() != parent { _exit(0) }
    }
}
