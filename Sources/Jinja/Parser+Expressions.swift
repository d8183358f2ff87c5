extension Parser {
    static let filters: Set<String> = [
        "length", "count", "first", "last", "join", "default", "d", "trim", "upper", "lower", "title", "capitalize",
        "replace", "list", "string", "int", "float", "abs", "round", "items", "dictsort", "map",
        "select", "selectattr", "rejectattr", "reject", "unique", "sum", "min", "max", "batch", "indent",
        "wordcount", "tojson", "safe", "e", "escape", "reverse", "sort",
    ]

    static let tests: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "iterable", "sequence",
        "boolean", "true", "false", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne", "!=", "in", "lower",
        "upper", "callable", "sameas", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=",
        "escaped", "filter", "test",
    ]

    func checkFilter(_ name: String, line: Int) throws(JinjaError) {
        guard Self.filters.contains(name) else {
            throw JinjaError(.unsupported, "the filter '\(name)' is not supported", line: line)
        }
    }

    /// Comma-separated expressions; more than one (or a trailing comma) makes a tuple.
    mutating func parseTuple(allowConditional: Bool = true, stopAtIf: Bool = false) throws(JinjaError) -> Expression {
        var items: [Expression] = []
        var isTuple = false
        while true {
            if !items.isEmpty {
                guard skipSymbol(",") else { break }
                isTuple = true
            }
            if current.kind == .variableEnd || current.kind == .blockEnd || isSymbol(")") || (stopAtIf && isName("if"))
            {
                break
            }
            items.append(allowConditional ? try parseExpression() : try parseOr())
        }
        if !isTuple, let only = items.first, items.count == 1 { return only }
        guard isTuple || !items.isEmpty else { throw fail("expected an expression") }
        return .tuple(items)
    }

    mutating func parseExpression() throws(JinjaError) -> Expression {
        let value = try parseOr()
        guard skipName("if") else { return value }
        try nest()
        defer { nesting -= 1 }
        let test = try parseOr()
        let otherwise = skipName("else") ? try parseExpression() : nil
        return .conditional(test: test, then: value, otherwise: otherwise)
    }

    mutating func parseOr() throws(JinjaError) -> Expression {
        var left = try parseAnd()
        let outer = nesting
        defer { nesting = outer }
        while skipName("or") {
            try nest()
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(JinjaError) -> Expression {
        var left = try parseNot()
        let outer = nesting
        defer { nesting = outer }
        while skipName("and") {
            try nest()
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(JinjaError) -> Expression {
        if skipName("not") {
            try nest()
            defer { nesting -= 1 }
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(JinjaError) -> Expression {
        let line = current.line
        let first = try parseMath1()
        var operations: [(op: String, operand: Expression)] = []
        while true {
            if case .symbol(let symbol) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(symbol) {
                _ = advance()
                operations.append((symbol, try parseMath1()))
            } else if skipName("in") {
                operations.append(("in", try parseMath1()))
            } else if isName("not"), index + 1 < tokens.count, tokens[index + 1].kind == .name("in") {
                _ = advance()
                _ = advance()
                operations.append(("not in", try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? first : .compare(first, operations, line: line)
    }

    mutating func parseMath1() throws(JinjaError) -> Expression {
        var left = try parseConcat()
        let outer = nesting
        defer { nesting = outer }
        while case .symbol(let symbol) = current.kind, symbol == "+" || symbol == "-" {
            try nest()
            let line = advance().line
            left = .binary(symbol, left, try parseConcat(), line: line)
        }
        return left
    }

    mutating func parseConcat() throws(JinjaError) -> Expression {
        let line = current.line
        var parts = [try parseMath2()]
        while skipSymbol("~") { parts.append(try parseMath2()) }
        return parts.count == 1 ? parts[0] : .concat(parts, line: line)
    }

    mutating func parseMath2() throws(JinjaError) -> Expression {
        var left = try parsePow()
        let outer = nesting
        defer { nesting = outer }
        while case .symbol(let symbol) = current.kind, ["*", "/", "//", "%"].contains(symbol) {
            try nest()
            let line = advance().line
            left = .binary(symbol, left, try parsePow(), line: line)
        }
        return left
    }

    mutating func parsePow() throws(JinjaError) -> Expression {
        var left = try parseUnary()
        let outer = nesting
        defer { nesting = outer }
        while isSymbol("**") {
            try nest()
            let line = advance().line
            left = .binary("**", left, try parseUnary(), line: line)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws(JinjaError) -> Expression {
        try nest()
        defer { nesting -= 1 }
        let line = current.line
        var node: Expression
        if skipSymbol("-") {
            node = .unary("-", try parseUnary(withFilter: false), line: line)
        } else if skipSymbol("+") {
            node = .unary("+", try parseUnary(withFilter: false), line: line)
        } else {
            node = try parsePostfix(try parsePrimary())
        }
        return withFilter ? try parseFilterChain(node) : node
    }

    mutating func parsePrimary() throws(JinjaError) -> Expression {
        let token = advance()
        switch token.kind {
        case .name(let name):
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(name, line: token.line)
            }
        case .string(var text):
            while case .string(let more) = current.kind {
                text += more
                _ = advance()
            }
            return .literal(.string(text))
        case .integer(let value): return .literal(.int(value))
        case .float(let value): return .literal(.double(value))
        case .symbol("("):
            let inner = try parseTuple()
            try expectSymbol(")")
            return inner
        case .symbol("["):
            var items: [Expression] = []
            while !skipSymbol("]") {
                if !items.isEmpty { try expectSymbol(",") }
                if skipSymbol("]") { break }
                items.append(try parseExpression())
            }
            return .list(items)
        case .symbol("{"):
            var members: [(key: Expression, value: Expression)] = []
            while !skipSymbol("}") {
                if !members.isEmpty { try expectSymbol(",") }
                if skipSymbol("}") { break }
                let key = try parseExpression()
                try expectSymbol(":")
                members.append((key, try parseExpression()))
            }
            return .dict(members)
        default:
            throw fail("unexpected token in an expression", line: token.line)
        }
    }

    mutating func parsePostfix(_ base: Expression) throws(JinjaError) -> Expression {
        var node = base
        let outer = nesting
        defer { nesting = outer }
        while true {
            let line = current.line
            if isSymbol(".") || isSymbol("[") || isSymbol("(") { try nest() }
            if skipSymbol(".") {
                switch advance().kind {
                case .name(let name): node = .attribute(node, name, line: line)
                case .integer(let value): node = .item(node, .literal(.int(value)), line: line)
                default: throw fail("expected an attribute name after '.'", line: line)
                }
            } else if skipSymbol("[") {
                node = try parseSubscript(node, line: line)
            } else if isSymbol("(") {
                node = .call(node, try parseCallArguments(), line: line)
            } else {
                return node
            }
        }
    }

    mutating func parseSubscript(_ base: Expression, line: Int) throws(JinjaError) -> Expression {
        var parts: [Expression?] = [nil]
        var isSlice = false
        while !skipSymbol("]") {
            if skipSymbol(":") {
                isSlice = true
                parts.append(nil)
                guard parts.count <= 3 else { throw fail("too many ':' in a slice", line: line) }
            } else {
                guard parts[parts.count - 1] == nil else { throw fail("expected ']'", line: line) }
                parts[parts.count - 1] = try parseExpression()
            }
        }
        if !isSlice {
            guard let key = parts[0] else { throw fail("expected an index", line: line) }
            return .item(base, key, line: line)
        }
        let step = parts.count > 2 ? parts[2] : nil
        return .slice(base, start: parts[0], stop: parts[1], step: step, line: line)
    }

    mutating func parseCallArguments() throws(JinjaError) -> Arguments {
        try expectSymbol("(")
        var arguments = Arguments()
        while !skipSymbol(")") {
            if !arguments.positional.isEmpty || !arguments.keyword.isEmpty { try expectSymbol(",") }
            if skipSymbol(")") { break }
            if isSymbol("*") || isSymbol("**") {
                throw JinjaError(.unsupported, "'*' and '**' arguments are not supported", line: current.line)
            }
            if case .name(let name) = current.kind, index + 1 < tokens.count, tokens[index + 1].kind == .symbol("=") {
                _ = advance()
                _ = advance()
                arguments.keyword.append((name, try parseExpression()))
            } else {
                guard arguments.keyword.isEmpty else { throw fail("positional argument after a keyword argument") }
                arguments.positional.append(try parseExpression())
            }
        }
        return arguments
    }

    mutating func parseFilterChain(_ base: Expression) throws(JinjaError) -> Expression {
        var node = base
        let outer = nesting
        defer { nesting = outer }
        while true {
            let line = current.line
            if isSymbol("|") || isName("is") || isSymbol("(") { try nest() }
            if skipSymbol("|") {
                let name = try expectName()
                try checkFilter(name, line: line)
                node = .filter(node, name: name, isSymbol("(") ? try parseCallArguments() : .none, line: line)
            } else if skipName("is") {
                let negated = skipName("not")
                let name = try expectName()
                guard Self.tests.contains(name) else {
                    throw JinjaError(.unsupported, "the test '\(name)' is not supported", line: line)
                }
                var arguments = Arguments.none
                if isSymbol("(") {
                    arguments = try parseCallArguments()
                } else if startsTestArgument() {
                    arguments.positional = [try parsePostfix(try parsePrimary())]
                }
                node = .test(node, name: name, arguments, negated: negated, line: line)
            } else if isSymbol("(") {
                node = .call(node, try parseCallArguments(), line: line)
            } else {
                return node
            }
        }
    }

    func startsTestArgument() -> Bool {
        switch current.kind {
        case .name(let name): return !["else", "or", "and", "is", "if", "in", "not"].contains(name)
        case .string, .integer, .float: return true
        case .symbol(let symbol): return symbol == "[" || symbol == "{"
        default: return false
        }
    }
}
