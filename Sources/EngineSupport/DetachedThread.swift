import Glibc
public import InferenceTypes

/// A thread of its own for work that blocks for long (reading a socket), kept off Swift's cooperative pool.
public enum DetachedThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread.
    /// - Parameter stackSize: the thread's stack in bytes; `nil` takes the system's default.
    public static func start(stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) throws(InferenceError) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        // The retained body is handed to the new thread, which releases it when it has run.
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw .engineFailure("cannot start a thread (pthread_create returned \(created))")
        }
        pthread_detach(thread)
    }
}
