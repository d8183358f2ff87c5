public import OrderedJSON

extension JinjaValue {
    /// The value as JSON, as Python's `json.dumps` sees it; `nil` for values JSON cannot hold (undefined,
    /// functions, namespaces), which `tojson` reports as an error like Python's TypeError.
    public func jsonValue(sortKeys: Bool = false) -> JSONValue? {
        switch self {
        case .none: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .array(let elements), .tuple(let elements):
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                guard let json = element.jsonValue(sortKeys: sortKeys) else { return nil }
                result.append(json)
            }
            return .array(result)
        case .object(let object):
            var members: [JSONMember] = []
            members.reserveCapacity(object.count)
            for member in object.members {
                guard let json = member.value.jsonValue(sortKeys: sortKeys) else { return nil }
                members.append(JSONMember(member.key, json))
            }
            if sortKeys {
                members.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            }
            return .object(members)
        case .undefined, .namespace, .loop, .callable:
            return nil
        }
    }
}
