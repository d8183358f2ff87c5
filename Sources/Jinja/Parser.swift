/// Builds the statement tree from tokens, rejecting what this engine does not implement.
struct Parser {
    var tokens: [Token]
    var index = 0
    var loopDepth = 0
    /// Expression levels open now: recursion plus the operator and postfix chains that build deep trees.
    var nesting = 0
    /// Block tags open now.
    var blocks = 0

    static let unsupportedTags: Set<String> = [
        "call", "filter", "with", "include", "import", "from", "extends", "block", "autoescape", "do", "trans",
        "pluralize", "debug",
    ]

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[index] }

    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func fail(_ message: String, line: Int? = nil) -> JinjaError {
        JinjaError(.syntax, message, line: line ?? current.line)
    }

    /// Opens one more level of expression nesting (undo with `nesting -= 1`); fails past the limit, so a
    /// hostile template cannot overflow the stack of the parser, the renderer or the tree's deinit.
    mutating func nest() throws(JinjaError) {
        nesting += 1
        guard nesting <= JinjaLimits.maxNesting else {
            throw JinjaError(
                .budgetExceeded(.nesting(levels: JinjaLimits.maxNesting)),
                "expressions nest deeper than \(JinjaLimits.maxNesting) levels", line: current.line)
        }
    }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    func isName(_ name: String) -> Bool { current.kind == .name(name) }

    mutating func skipSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        _ = advance()
        return true
    }

    mutating func skipName(_ name: String) -> Bool {
        guard isName(name) else { return false }
        _ = advance()
        return true
    }

    mutating func expectSymbol(_ symbol: String) throws(JinjaError) {
        guard skipSymbol(symbol) else { throw fail("expected '\(symbol)'") }
    }

    mutating func expectName() throws(JinjaError) -> String {
        guard case .name(let name) = current.kind else { throw fail("expected a name") }
        _ = advance()
        return name
    }

    mutating func expectBlockEnd() throws(JinjaError) {
        guard current.kind == .blockEnd else { throw fail("expected the end of the tag ('%}')") }
        _ = advance()
    }

    /// Parses a whole template.
    static func parse(_ source: String) throws(JinjaError) -> [Statement] {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        let (body, _) = try parser.parseBody(until: [])
        return body
    }

    /// Parses statements until one of `endTags` opens a block tag; returns that tag's name (its tag is left
    /// open after the name), or `nil` at the end of the template when `endTags` is empty.
    mutating func parseBody(until endTags: Set<String>) throws(JinjaError) -> ([Statement], String?) {
        var body: [Statement] = []
        while true {
            let token = advance()
            switch token.kind {
            case .data(let text):
                body.append(.output(text))
            case .variableBegin:
                let expression = try parseTuple()
                guard current.kind == .variableEnd else { throw fail("expected the end of the print tag ('}}')") }
                _ = advance()
                body.append(.print(expression, line: token.line))
            case .blockBegin:
                guard case .name(let tag) = current.kind else { throw fail("expected a tag name") }
                if endTags.contains(tag) {
                    _ = advance()
                    return (body, tag)
                }
                _ = advance()
                if let statement = try parseTag(tag, line: token.line) { body.append(statement) }
            case .end:
                guard endTags.isEmpty else {
                    let names = endTags.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw fail("unexpected end of template; expected \(names)", line: token.line)
                }
                return (body, nil)
            default:
                throw fail("unexpected token", line: token.line)
            }
        }
    }

    mutating func parseTag(_ tag: String, line: Int) throws(JinjaError) -> Statement? {
        blocks += 1
        defer { blocks -= 1 }
        guard blocks <= JinjaLimits.maxNesting else {
            throw JinjaError(
                .budgetExceeded(.nesting(levels: JinjaLimits.maxNesting)),
                "blocks nest deeper than \(JinjaLimits.maxNesting) levels", line: line)
        }
        switch tag {
        case "for": return try parseFor(line: line)
        case "if": return try parseIf()
        case "set": return try parseSet(line: line)
        case "macro": return try parseMacro()
        case "break", "continue":
            guard loopDepth > 0 else { throw fail("'\(tag)' outside of a loop", line: line) }
            try expectBlockEnd()
            return tag == "break" ? .breakLoop : .continueLoop
        case "generation":
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expectBlockEnd()
            return .block(body)
        default:
            if Self.unsupportedTags.contains(tag) {
                throw JinjaError(.unsupported, "the '\(tag)' tag is not supported", line: line)
            }
            throw fail("unknown tag '\(tag)'", line: line)
        }
    }

    mutating func parseFor(line: Int) throws(JinjaError) -> Statement {
        let target = try parseAssignTarget(allowAttribute: false)
        guard skipName("in") else { throw fail("expected 'in' in the for tag") }
        let iterable = try parseTuple(allowConditional: false, stopAtIf: true)
        var filter: Expression?
        if skipName("if") { filter = try parseExpression() }
        if isName("recursive") {
            throw JinjaError(.unsupported, "recursive for loops are not supported", line: line)
        }
        try expectBlockEnd()
        loopDepth += 1
        let (body, endTag) = try parseBody(until: ["endfor", "else"])
        loopDepth -= 1
        var otherwise: [Statement] = []
        try expectBlockEnd()
        if endTag == "else" {
            (otherwise, _) = try parseBody(until: ["endfor"])
            try expectBlockEnd()
        }
        return .forLoop(
            ForLoop(target: target, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line))
    }

    mutating func parseIf() throws(JinjaError) -> Statement {
        var branches: [(test: Expression, body: [Statement])] = []
        var test = try parseTuple()
        try expectBlockEnd()
        while true {
            let (body, endTag) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((test, body))
            switch endTag {
            case "elif":
                test = try parseTuple()
                try expectBlockEnd()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .ifChain(branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .ifChain(branches, otherwise: [])
            }
        }
    }

    mutating func parseSet(line: Int) throws(JinjaError) -> Statement {
        let target = try parseAssignTarget(allowAttribute: true)
        if skipSymbol("=") {
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(target, value, line: line)
        }
        var filters: [(name: String, arguments: Arguments)] = []
        while skipSymbol("|") {
            let name = try expectName()
            try checkFilter(name, line: line)
            filters.append((name, isSymbol("(") ? try parseCallArguments() : .none))
        }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endset"])
        try expectBlockEnd()
        return .setBlock(target, filters: filters, body: body, line: line)
    }

    mutating func parseMacro() throws(JinjaError) -> Statement {
        let name = try expectName()
        try expectSymbol("(")
        var parameters: [(name: String, defaultValue: Expression?)] = []
        while !skipSymbol(")") {
            if !parameters.isEmpty { try expectSymbol(",") }
            if skipSymbol(")") { break }
            let parameter = try expectName()
            parameters.append((parameter, skipSymbol("=") ? try parseExpression() : nil))
        }
        try expectBlockEnd()
        let savedDepth = loopDepth
        loopDepth = 0
        let (body, _) = try parseBody(until: ["endmacro"])
        loopDepth = savedDepth
        try expectBlockEnd()
        return .macro(MacroDefinition(name: name, parameters: parameters, body: body))
    }

    mutating func parseAssignTarget(allowAttribute: Bool) throws(JinjaError) -> AssignTarget {
        var targets: [AssignTarget] = []
        var sawComma = false
        repeat {
            if isName("in") || current.kind == .blockEnd || isSymbol("=") || isSymbol("|") { break }
            if skipSymbol("(") {
                try nest()
                defer { nesting -= 1 }
                targets.append(try parseAssignTarget(allowAttribute: false))
                try expectSymbol(")")
                continue
            }
            let name = try expectName()
            if allowAttribute, skipSymbol(".") {
                targets.append(.attribute(namespace: name, attribute: try expectName()))
            } else {
                targets.append(.name(name))
            }
            sawComma = isSymbol(",")
        } while skipSymbol(",")
        guard let first = targets.first else { throw fail("expected an assignment target") }
        return targets.count == 1 && !sawComma ? first : .tuple(targets)
    }
}
