import InferenceTypes
import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// The largest count a `{m,n}` repetition may have: llama.cpp refuses grammars that expand much further.
    static let maxRepetition = 1000

    /// An array: positional elements (`prefixItems`, or draft-07's array-valued `items`), then the rest
    /// (`items` or `additionalItems`), between `minItems` and `maxItems` in all.
    mutating func arrayBody(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
        _ = primitive(.ws)
        let minimum = try count("minItems", of: schema, at: path) ?? 0
        let maximum = try count("maxItems", of: schema, at: path)
        var prefix: [JSONValue] = []
        var prefixKeyword = "prefixItems"
        var rest: JSONValue?
        var restKeyword = "items"
        if let declared = schema["prefixItems"] {
            guard let elements = declared.arrayValue else {
                throw .invalidRequest("'prefixItems' at \(path) must be an array of schemas")
            }
            prefix = elements
            rest = schema["items"]
        } else if let elements = schema["items"]?.arrayValue {
            prefix = elements
            prefixKeyword = "items"
            rest = schema["additionalItems"]
            restKeyword = "additionalItems"
        } else {
            rest = schema["items"]
        }

        var positional: [String] = []
        var closed = false
        for (index, element) in prefix.enumerated() {
            // No element may stand at a position whose schema is `false`: the array ends before it.
            if element == .bool(false) {
                closed = true
                break
            }
            positional.append(try ruleName(for: element, at: "\(path)/\(prefixKeyword)/\(index)"))
        }
        var restRule: String?
        if !closed {
            switch rest {
            case nil, .bool(true)?: restRule = primitive(.value)
            case .bool(false)?: restRule = nil
            case let element?: restRule = try ruleName(for: element, at: "\(path)/\(restKeyword)")
            }
        }
        let capacity = restRule == nil ? positional.count : nil
        let upper = [maximum, capacity].compactMap { $0 }.min()
        if let upper, minimum > upper {
            throw .invalidRequest("the array at \(path) needs \(minimum) elements but can hold at most \(upper)")
        }
        if upper == 0 { return #""[" ws "]""# }
        let content = Self.elements(
            from: 0, positional: positional, rest: restRule, required: max(minimum, 1), upper: upper)
        return minimum == 0 ? #""[" ws (\#(content) ws)? "]""# : #""[" ws \#(content) ws "]""#
    }

    /// Elements from position `index` on; the first `required` positions must be there.
    private static func elements(from index: Int, positional: [String], rest: String?, required: Int, upper: Int?)
        -> String
    {
        let separator = JSONSchemaGrammar.separator
        if let upper, index >= upper { return "" }
        guard index < positional.count else {
            guard let rest else { return "" }
            let low = max(required - index, 0)
            let high = upper.map { $0 - index }
            if index == 0 {
                let more = JSONSchemaGrammar.repeated(
                    "\(separator) \(rest)", minimum: max(low - 1, 0), maximum: high.map { $0 - 1 })
                return more.isEmpty ? rest : "\(rest) \(more)"
            }
            return JSONSchemaGrammar.repeated("\(separator) \(rest)", minimum: low, maximum: high)
        }
        let element = index == 0 ? positional[0] : "\(separator) \(positional[index])"
        let following = elements(from: index + 1, positional: positional, rest: rest, required: required, upper: upper)
        let sequence = following.isEmpty ? element : "\(element) \(following)"
        return index < required ? sequence : "(\(sequence))?"
    }

    /// A non-negative count keyword (`minItems`, `maxLength`...), bounded so llama.cpp accepts the grammar.
    func count(_ keyword: String, of schema: JSONValue, at path: String) throws(InferenceError) -> Int? {
        guard let value = schema[keyword] else { return nil }
        guard let number = value.numberValue, number >= 0, number.rounded() == number else {
            throw .invalidRequest("'\(keyword)' at \(path) must be a non-negative integer")
        }
        guard number <= Double(Self.maxRepetition) else {
            throw .invalidRequest(
                "'\(keyword)' at \(path) is \(Int(number)); structured output supports at most \(Self.maxRepetition)")
        }
        return Int(number)
    }
}
