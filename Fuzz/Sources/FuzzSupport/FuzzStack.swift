import Glibc

/// Runs each input on a thread with a bounded stack, so that recursion which grows with the input shows up as
/// a stack overflow on inputs of a few KB, instead of needing the megabytes that the 8 MiB main thread takes.
///
/// The size is `FUZZ_STACK_KB` (default 1024 KiB). The parsers' own depth limits (JSON 512 levels, 64 schema
/// levels, 200 template calls) fit in it under AddressSanitizer; an input that needs more is recursing
/// without a bound. Reproducing a saved input runs it the same way.
public enum FuzzStack {
    /// The stack size in bytes.
    public static let size: Int = {
        let kilobytes = getenv("FUZZ_STACK_KB").flatMap { Int(String(cString: $0)) } ?? 1024
        return max(kilobytes, 64) << 10
    }()

    /// Runs `body` on a new thread with a stack of `size` bytes and waits for it.
    public static func run(_ body: () -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = Unmanaged.passRetained(Body(escapable))
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
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
