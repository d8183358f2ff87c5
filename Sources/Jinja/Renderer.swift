/// Runs a parsed template once: holds the output, the variable scopes and the `namespace()` objects.
struct Renderer {
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    static let maxLoopIterations = 1_000_000
    static let maxCallDepth = 200
    static let maxOutputBytes = 64 << 20
    static let maxRange = 100_000

    static let globalNames = ["raise_exception", "strftime_now", "namespace", "range", "dict"]

    var output = ""
    var scopes: [[String: JinjaValue]]
    var namespaces: [JinjaObject] = []
    var iterationsLeft = Renderer.maxLoopIterations
    var callDepth = 0

    init(context: [String: JinjaValue]) {
        var root: [String: JinjaValue] = [:]
        root.reserveCapacity(context.count + Self.globalNames.count)
        for name in Self.globalNames { root[name] = .callable(JinjaCallable(kind: .global(name))) }
        for (key, value) in context { root[key] = value }
        scopes = [root]
        output.reserveCapacity(4096)
    }

    func lookup(_ name: String) -> JinjaValue {
        var index = scopes.count - 1
        while index >= 0 {
            if let value = scopes[index][name] { return value }
            index -= 1
        }
        return .undefined
    }

    mutating func write(_ text: String, line: Int) throws(JinjaError) {
        output += text
        if output.utf8.count > Self.maxOutputBytes {
            throw JinjaError(.runtime, "the output is larger than \(Self.maxOutputBytes) bytes", line: line)
        }
    }

    mutating func run(_ statements: [Statement]) throws(JinjaError) -> Flow {
        for statement in statements {
            let flow = try execute(statement)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    mutating func execute(_ statement: Statement) throws(JinjaError) -> Flow {
        switch statement {
        case .output(let text):
            output += text
        case .print(let expression, let line):
            let value = try evaluate(expression)
            try write(value.pythonString, line: line)
        case .ifChain(let branches, let otherwise):
            for branch in branches where try evaluate(branch.test).isTruthy {
                return try run(branch.body)
            }
            return try run(otherwise)
        case .forLoop(let loop):
            try runLoop(loop)
        case .set(let target, let expression, let line):
            let value = try evaluate(expression)
            try assign(value, to: target, line: line)
        case .setBlock(let target, let filters, let body, let line):
            var value = JinjaValue.string(try capture(body))
            for filter in filters {
                value = try applyFilter(filter.name, to: value, filter.arguments, line: line)
            }
            try assign(value, to: target, line: line)
        case .macro(let definition):
            scopes[scopes.count - 1][definition.name] = .callable(JinjaCallable(kind: .macro(definition)))
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .block(let body):
            return try run(body)
        }
        return .normal
    }

    /// Renders `body` into a string of its own (block `set`, macro calls).
    mutating func capture(_ body: [Statement]) throws(JinjaError) -> String {
        let saved = output
        output = ""
        defer { output = saved }
        _ = try run(body)
        return output
    }

    mutating func assign(_ value: JinjaValue, to target: AssignTarget, line: Int) throws(JinjaError) {
        switch target {
        case .name(let name):
            scopes[scopes.count - 1][name] = value
        case .tuple(let targets):
            let items = try unpack(value, count: targets.count, line: line)
            for (item, itemTarget) in zip(items, targets) { try assign(item, to: itemTarget, line: line) }
        case .attribute(let namespaceName, let attribute):
            guard case .namespace(let handle) = lookup(namespaceName) else {
                throw JinjaError(.runtime, "cannot assign attribute on non-namespace object", line: line)
            }
            namespaces[handle.id][attribute] = value
        }
    }

    func unpack(_ value: JinjaValue, count: Int, line: Int) throws(JinjaError) -> [JinjaValue] {
        let items = try iterate(value, line: line)
        guard items.count == count else {
            throw JinjaError(.runtime, "cannot unpack \(items.count) values into \(count) names", line: line)
        }
        return items
    }

    /// What `for` iterates: list items, dict keys, string characters; undefined iterates as empty.
    func iterate(_ value: JinjaValue, line: Int) throws(JinjaError) -> [JinjaValue] {
        switch value {
        case .array(let elements), .tuple(let elements): return elements
        case .object(let object): return object.members.map { .string($0.key) }
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw JinjaError(.runtime, "'\(value.typeName)' object is not iterable", line: line)
        }
    }

    mutating func runLoop(_ loop: ForLoop) throws(JinjaError) {
        let iterable = try evaluate(loop.iterable)
        var items = try iterate(iterable, line: loop.line)
        if let filter = loop.filter {
            var kept: [JinjaValue] = []
            for item in items {
                scopes.append([:])
                defer { scopes.removeLast() }
                try assign(item, to: loop.target, line: loop.line)
                if try evaluate(filter).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            _ = try run(loop.otherwise)
            return
        }
        for (index, item) in items.enumerated() {
            iterationsLeft -= 1
            guard iterationsLeft >= 0 else {
                throw JinjaError(
                    .runtime, "the template ran more than \(Self.maxLoopIterations) loop iterations",
                    line: loop.line)
            }
            scopes.append(["loop": .loop(JinjaLoop(index0: index, length: items.count, depth0: 0, items: items))])
            defer { scopes.removeLast() }
            try assign(item, to: loop.target, line: loop.line)
            if case .breakLoop = try run(loop.body) { break }
        }
    }
}
