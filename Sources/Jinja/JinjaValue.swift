public import OrderedJSON

/// A value inside a template: what Python's jinja2 would hold, with Python's printing, truthiness and equality.
public enum JinjaValue: Sendable {
    /// jinja2's default `Undefined`: prints empty, is falsy, and fails when used in arithmetic.
    case undefined
    /// Python's `None`.
    case none
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A float.
    case double(Double)
    /// A string.
    case string(String)
    /// A list.
    case array([JinjaValue])
    /// A tuple (what `dict.items()` yields); prints with parentheses, otherwise like a list.
    case tuple([JinjaValue])
    /// A dict, its keys in insertion order.
    case object(JinjaObject)
    /// A `namespace()` object, mutable through `{% set ns.attr = ... %}` while one render runs.
    case namespace(JinjaNamespace)
    /// The `loop` variable of a `{% for %}`.
    case loop(JinjaLoop)
    /// Something callable: a macro, a global function or a bound method.
    case callable(JinjaCallable)
}

/// A handle on a `namespace()` created during one render.
public struct JinjaNamespace: Sendable {
    let id: Int
}

/// The `loop` variable of one iteration of a `{% for %}`.
public struct JinjaLoop: Sendable {
    let index0: Int
    let length: Int
    let depth0: Int
    let items: [JinjaValue]
}

/// A function value in a template.
public struct JinjaCallable: Sendable {
    indirect enum Kind: Sendable {
        case macro(MacroDefinition)
        case global(String)
        case method(receiver: JinjaValue, name: String)
    }

    let kind: Kind
}

extension JinjaValue {
    /// Converts a JSON value: objects keep their key order, integers stay integers.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(JinjaValue.init))
        case .object(let members):
            var object = JinjaObject()
            for member in members { object[member.key] = JinjaValue(member.value) }
            self = .object(object)
        }
    }
}

extension JinjaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A float.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `None`.
    public init(nilLiteral: ()) { self = .none }
    /// A list.
    public init(arrayLiteral elements: JinjaValue...) { self = .array(elements) }
    /// A dict whose keys keep the literal's order.
    public init(dictionaryLiteral elements: (String, JinjaValue)...) {
        self = .object(JinjaObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}
