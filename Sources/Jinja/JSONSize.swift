/// A lower bound of the size of a value's JSON text, taken before `tojson` builds it.
struct JSONSize {
    /// Bytes of the strings, keys and scalars, one per element, and two quotes per string.
    var bytes = 0
    /// Values in the tree.
    var items = 0
    /// The sum of the nesting levels of the values: indented JSON writes that many indentations.
    var levels = 0

    /// Adds up `value` and what it holds, stopping once `bytes` passes `limit`.
    mutating func measure(_ value: JinjaValue, level: Int, limit: Int) {
        guard bytes <= limit else { return }
        items += 1
        levels += level
        switch value {
        case .string(let text): bytes += text.utf8.count + 2
        case .array(let elements), .tuple(let elements):
            bytes += 2
            for element in elements { measure(element, level: level + 1, limit: limit) }
        case .object(let object):
            bytes += 2
            for member in object.members {
                bytes += member.key.utf8.count + 2
                measure(member.value, level: level + 1, limit: limit)
            }
        default: bytes += 1
        }
    }
}
