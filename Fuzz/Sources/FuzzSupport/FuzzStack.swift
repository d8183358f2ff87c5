import Glibc

/// Runs each input on a thread with a bounded stack, so that recursion which grows with the input shows up as
/// a stack overflow on inputs of a few KB, instead of needing the megabytes that the 8 MiB main thread takes.
///
/// Each target picks a stack about twice what its parsers' own depth limits need under AddressSanitizer
/// (JSON's 512 levels fit in 256 KiB, 200 nested template calls or expressions in 512 KiB), so an input that
/// overflows it is recursing without a bound. `FUZZ_STACK_KB` overrides the size for every target.
/// Reproducing a saved input runs it the same way.
public enum FuzzStack {
    /// The stack size in bytes for a target whose default is `kilobytes`.
    static func size(defaultKilobytes kilobytes: Int) -> Int {
        let chosen = getenv("FUZZ_STACK_KB").flatMap { Int(String(cString: $0)) } ?? kilobytes
        return max(chosen, 64) << 10
    }

    /// Runs `body` on a new thread with a stack of `kilobytes` KiB (or `FUZZ_STACK_KB`) and waits for it.
    public static func run(kilobytes: Int, _ body: () -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = Unmanaged.passRetained(Body(escapable))
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size(defaultKilobytes: kilobytes))
            var thread = pthread_t()
            let started = pthread_create(
                &thread, &attributes,
                { context in
                    // `context` is the retained `Body` passed below; it is released here, exactly once.
                    let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                    body.closure()
                    return nil
                }, box.toOpaque())
            precondition(started == 0, "cannot start a fuzzing thread: error \(started)")
            // Joining before returning keeps `body` alive for the whole run, as `withoutActuallyEscaping` needs.
            pthread_join(thread, nil)
        }
    }

    /// The closure, as an object that can travel through pthread's context pointer.
    private final class Body {
        let closure: () -> Void
        init(_ closure: @escaping () -> Void) { self.closure = closure }
    }
}

/// Keeps a computed value alive so the optimizer cannot drop the work that made it.
@inline(never)
public func blackHole(_ value: Int) {
    if value == Int.min { print(value) }
}
