extension JinjaTemplate {
    /// The names the template reads as variables anywhere (`tools`, `messages`, `enable_thinking`, ...),
    /// whether or not the branch that reads them runs: what a caller checks to learn whether a template uses
    /// a context variable at all, without guessing from its source text.
    public var referencedNames: Set<String> {
        var walker = NameWalker()
        walker.visit(statements)
        return walker.names
    }

    /// The string literals the template holds (`'tool'`, `'assistant'`, ...): a template that compares a
    /// message's role with `'tool'` has a tool role.
    public var stringLiterals: Set<String> {
        var walker = NameWalker()
        walker.visit(statements)
        return walker.strings
    }
}

/// Collects the variable names and string literals of a parsed template.
private struct NameWalker {
    var names: Set<String> = []
    var strings: Set<String> = []

    mutating func visit(_ statements: [Statement]) {
        for statement in statements { visit(statement) }
    }

    mutating func visit(_ statement: Statement) {
        switch statement {
        case .output, .breakLoop, .continueLoop:
            break
        case .print(let expression, _):
            visit(expression)
        case .ifChain(let branches, let otherwise):
            for branch in branches {
                visit(branch.test)
                visit(branch.body)
            }
            visit(otherwise)
        case .forLoop(let loop):
            visit(loop.iterable)
            if let filter = loop.filter { visit(filter) }
            visit(loop.body)
            visit(loop.otherwise)
        case .set(_, let expression, _):
            visit(expression)
        case .setBlock(_, let filters, let body, _):
            for filter in filters { visit(filter.arguments) }
            visit(body)
        case .macro(let macro):
            for parameter in macro.parameters {
                if let value = parameter.defaultValue { visit(value) }
            }
            visit(macro.body)
        case .block(let body):
            visit(body)
        }
    }

    mutating func visit(_ arguments: Arguments) {
        for argument in arguments.positional { visit(argument) }
        for argument in arguments.keyword { visit(argument.value) }
    }

    mutating func visit(_ expression: Expression) {
        switch expression {
        case .literal(let value):
            if case .string(let text) = value { strings.insert(text) }
        case .name(let name, _):
            names.insert(name)
        case .list(let items), .tuple(let items), .concat(let items, _):
            for item in items { visit(item) }
        case .dict(let pairs):
            for pair in pairs {
                visit(pair.key)
                visit(pair.value)
            }
        case .attribute(let base, _, _), .unary(_, let base, _), .not(let base):
            visit(base)
        case .item(let base, let index, _), .binary(_, let base, let index, _), .and(let base, let index),
            .or(let base, let index):
            visit(base)
            visit(index)
        case .slice(let base, let start, let stop, let step, _):
            visit(base)
            for part in [start, stop, step] { if let part { visit(part) } }
        case .call(let callee, let arguments, _):
            visit(callee)
            visit(arguments)
        case .filter(let base, _, let arguments, _), .test(let base, _, let arguments, _, _):
            visit(base)
            visit(arguments)
        case .compare(let base, let operations, _):
            visit(base)
            for operation in operations { visit(operation.operand) }
        case .conditional(let test, let then, let otherwise):
            visit(test)
            visit(then)
            if let otherwise { visit(otherwise) }
        }
    }
}
