public import Hummingbird

extension Router {
    /// The methods a path may be asked for with a 405 when it has no route for them.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete] }

    /// Answers a wrong method on an existing path with 405 and `Allow` (HEAD counts as allowed wherever GET is,
    /// as the router answers it); call it once every route has been added. OPTIONS is left alone.
    public func addMethodNotAllowedRoutes() {
        var pathsInOrder: [RouterPath] = []
        var methods: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            let key = route.path.description
            if methods[key] == nil { pathsInOrder.append(route.path) }
            methods[key, default: []].insert(route.method)
        }
        for path in pathsInOrder {
            var allowed = methods[path.description] ?? []
            if allowed.contains(.get) { allowed.insert(.head) }
            let others = allowed.filter { !Self.answeredMethods.contains($0) }.sorted { $0.rawValue < $1.rawValue }
            let error = MethodNotAllowedError(allowed: Self.answeredMethods.filter(allowed.contains) + others)
            for method in Self.answeredMethods where !allowed.contains(method) {
                on(path, method: method) { _, _ -> Response in throw error }
            }
        }
    }
}
