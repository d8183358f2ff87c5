/// A Python dict as a template sees it: string keys in insertion order.
///
/// Chat-template dicts are small (a message has a handful of keys), so members are a list searched in order;
/// that is faster than hashing at these sizes and keeps `tojson` output in the order the keys were given.
public struct JinjaObject: Sendable {
    /// The members in insertion order.
    public private(set) var members: [(key: String, value: JinjaValue)]

    /// Creates a dict from members; a repeated key keeps its first position and last value.
    public init(_ members: [(key: String, value: JinjaValue)] = []) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// The value of `key`, or `nil` when the dict has no such key.
    public subscript(key: String) -> JinjaValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }
}
