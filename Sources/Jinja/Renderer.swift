/// Runs a parsed template once: holds the output, the variable scopes and the `namespace()` objects.
struct Renderer {
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    static let globalNames = ["raise_exception", "strftime_now", "namespace", "range", "dict"]

    var output = ""
    var scopes: [[String: JinjaValue]]
    var namespaces: [JinjaObject] = []
    var callDepth = 0
    /// Evaluations and statements open now, across macro calls; bounded so that no template overflows the stack.
    var depth = 0
    /// The bytes of output set aside while a macro or `set` block captures its own.
    var capturedBytes = 0
    let meter: RenderMeter

    var limits: JinjaLimits { meter.limits }

    init(context: [String: JinjaValue], limits: JinjaLimits = JinjaLimits(), isCancelled: (@Sendable () -> Bool)? = nil)
    {
        meter = RenderMeter(limits: limits, isCancelled: isCancelled)
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

    /// Appends to the output, failing first when it would pass the output budget.
    mutating func write(_ text: String, line: Int?) throws(JinjaError) {
        guard RenderMeter.sum(capturedBytes, output.utf8.count + text.utf8.count) <= limits.maxOutputBytes else {
            throw .exceeded(.output(bytes: limits.maxOutputBytes), line: line)
        }
        output += text
    }

    /// Opens one more level of evaluation (undo with `depth -= 1`).
    mutating func enter(line: Int?) throws(JinjaError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw .exceeded(.depth(levels: limits.maxDepth), line: line) }
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
        try meter.charge(line: nil)
        try enter(line: nil)
        defer { depth -= 1 }
        switch statement {
        case .output(let text):
            try write(text, line: nil)
        case .print(let expression, let line):
            let value = try evaluate(expression)
            try write(try text(value, line: line), line: line)
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
        capturedBytes += saved.utf8.count
        output = ""
        defer {
            output = saved
            capturedBytes -= saved.utf8.count
        }
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
        case .string(let text):
            try meter.chargeItems(text.utf8.count, line: line)
            try meter.checkList(text.unicodeScalars.count, line: line)
            return text.unicodeScalars.map { .string(String($0)) }
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
                try meter.charge(line: loop.line)
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
            try meter.charge(line: loop.line)
            scopes.append(["loop": .loop(JinjaLoop(index0: index, length: items.count, depth0: 0, items: items))])
            defer { scopes.removeLast() }
            try assign(item, to: loop.target, line: loop.line)
            if case .breakLoop = try run(loop.body) { break }
        }
    }
}
