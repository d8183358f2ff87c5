/// An expression of the template language.
indirect enum Expression: Sendable {
    case literal(JinjaValue)
    case name(String, line: Int)
    case list([Expression])
    case tuple([Expression])
    case dict([(key: Expression, value: Expression)])
    case attribute(Expression, String, line: Int)
    case item(Expression, Expression, line: Int)
    case slice(Expression, start: Expression?, stop: Expression?, step: Expression?, line: Int)
    case call(Expression, Arguments, line: Int)
    case filter(Expression, name: String, Arguments, line: Int)
    case test(Expression, name: String, Arguments, negated: Bool, line: Int)
    case unary(String, Expression, line: Int)
    case binary(String, Expression, Expression, line: Int)
    case concat([Expression], line: Int)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    case compare(Expression, [(op: String, operand: Expression)], line: Int)
    case conditional(test: Expression, then: Expression, otherwise: Expression?)
}

/// The arguments of a call, filter or test.
struct Arguments: Sendable {
    var positional: [Expression] = []
    var keyword: [(name: String, value: Expression)] = []

    static let none = Arguments()
}

/// Where `{% for %}` and `{% set %}` store values.
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    case attribute(namespace: String, attribute: String)
}

/// A statement of the template: output, tags and their bodies.
indirect enum Statement: Sendable {
    case output(String)
    case print(Expression, line: Int)
    case ifChain([(test: Expression, body: [Statement])], otherwise: [Statement])
    case forLoop(ForLoop)
    case set(AssignTarget, Expression, line: Int)
    case setBlock(AssignTarget, filters: [(name: String, arguments: Arguments)], body: [Statement], line: Int)
    case macro(MacroDefinition)
    case breakLoop
    case continueLoop
    case block([Statement])
}

/// A `{% for target in iterable if filter %}body{% else %}otherwise{% endfor %}`.
struct ForLoop: Sendable {
    var target: AssignTarget
    var iterable: Expression
    var filter: Expression?
    var body: [Statement]
    var otherwise: [Statement]
    var line: Int
}

/// A `{% macro name(parameters) %}body{% endmacro %}`.
struct MacroDefinition: Sendable {
    var name: String
    var parameters: [(name: String, defaultValue: Expression?)]
    var body: [Statement]
}
