/// A `Content-Range` header of a byte range: `bytes <first>-<last>/<total>`, or `bytes */<total>` in a
/// 416 answer. The total may be `*`, unknown.
struct ContentRange: Equatable {
    /// The first byte sent, with the last; both `nil` for `bytes */<total>`.
    var first: Int64?
    /// The last byte sent, inclusive.
    var last: Int64?
    /// The size of the whole file, when the server knows it.
    var total: Int64?

    /// Creates a range from its parts.
    init(first: Int64?, last: Int64?, total: Int64?) {
        self.first = first
        self.last = last
        self.total = total
    }

    /// Parses the header's value; `nil` when it is not a byte range.
    init?(_ header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bytes" else { return nil }
        let rangeAndTotal = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard rangeAndTotal.count == 2 else { return nil }
        if rangeAndTotal[1] == "*" {
            total = nil
        } else {
            guard let value = Int64(rangeAndTotal[1]), value >= 0 else { return nil }
            total = value
        }
        if rangeAndTotal[0] == "*" {
            guard total != nil else { return nil }
            first = nil
            last = nil
        } else {
            let bounds = rangeAndTotal[0].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first >= 0,
                first <= last
            else { return nil }
            self.first = first
            self.last = last
        }
    }
}
