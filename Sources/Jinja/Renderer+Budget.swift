extension Renderer {
    /// What `{{ value }}` prints (Python's `str()`), built piece by piece so that the `repr` of a large list
    /// fails at the string budget instead of being built whole.
    func text(_ value: JinjaValue, line: Int?) throws(JinjaError) -> String {
        switch value {
        case .string(let text): return text
        case .array, .tuple, .object:
            var result = ""
            try appendRepr(value, to: &result, line: line)
            return result
        default: return value.pythonString
        }
    }

    /// Appends Python's `repr()` of `value`, failing as soon as the text passes the string budget.
    func appendRepr(_ value: JinjaValue, to result: inout String, line: Int?) throws(JinjaError) {
        switch value {
        case .array(let elements):
            result += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { result += ", " }
                try appendRepr(element, to: &result, line: line)
            }
            result += "]"
        case .tuple(let elements):
            result += "("
            for (index, element) in elements.enumerated() {
                if index > 0 { result += ", " }
                try appendRepr(element, to: &result, line: line)
            }
            result += elements.count == 1 ? ",)" : ")"
        case .object(let object):
            result += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { result += ", " }
                result += JinjaValue.pythonQuoted(member.key) + ": "
                try appendRepr(member.value, to: &result, line: line)
            }
            result += "}"
        default:
            result += value.pythonRepr
        }
        try meter.checkString(result.utf8.count, line: line)
        try meter.charge(line: line)
    }

    /// Fails unless a container made of `elements` (one level above them) fits the depth budget. Lists and
    /// dicts built in a loop from the previous round's value would otherwise nest without end, and deep
    /// values overflow the stack when they are printed, compared or freed.
    func checkDepth(of elements: [JinjaValue], line: Int?) throws(JinjaError) {
        var visits = 0
        for element in elements {
            guard Self.fits(element, levels: limits.maxDepth - 1, visits: &visits) else {
                throw .exceeded(.depth(levels: limits.maxDepth), line: line)
            }
        }
        try meter.chargeItems(visits, line: line)
    }

    /// Whether `value` nests no deeper than `levels` containers.
    private static func fits(_ value: JinjaValue, levels: Int, visits: inout Int) -> Bool {
        visits += 1
        func all(_ elements: [JinjaValue]) -> Bool {
            guard levels > 0 else { return false }
            return elements.allSatisfy { fits($0, levels: levels - 1, visits: &visits) }
        }
        switch value {
        case .array(let elements), .tuple(let elements): return elements.isEmpty || all(elements)
        case .object(let object):
            guard object.count > 0 else { return true }
            guard levels > 0 else { return false }
            for member in object.members where !fits(member.value, levels: levels - 1, visits: &visits) {
                return false
            }
            return true
        case .loop(let loop): return all(loop.items)
        case .callable(let callable):
            guard case .method(let receiver, _) = callable.kind else { return true }
            return all([receiver])
        default: return true
        }
    }

    /// Fails unless a string of `count` copies of `text` fits the string budget.
    func checkRepeat(_ text: String, count: Int, line: Int?) throws(JinjaError) {
        try meter.checkString(RenderMeter.product(text.utf8.count, max(0, count)), line: line)
    }
}

extension Renderer {
    /// `separator.join(parts)`, sized before it is built.
    func joined(_ parts: [String], separator: String, line: Int?) throws(JinjaError) -> String {
        var total = RenderMeter.product(separator.utf8.count, max(0, parts.count - 1))
        for part in parts { total = RenderMeter.sum(total, part.utf8.count) }
        try meter.checkString(total, line: line)
        try meter.chargeItems(total, line: line)
        return parts.joined(separator: separator)
    }

    /// Python's `text.replace(old, new, count)`, sized before it is built.
    func replaced(_ text: String, _ old: String, _ new: String, count: Int, line: Int?) throws(JinjaError) -> String {
        try meter.chargeItems(text.utf8.count, line: line)
        var matches = old.isEmpty ? text.unicodeScalars.count + 1 : PythonString.count(text, old)
        if count >= 0 { matches = min(matches, count) }
        let grown = RenderMeter.product(matches, new.utf8.count)
        try meter.checkString(RenderMeter.sum(text.utf8.count, grown), line: line)
        return PythonString.replace(text, old, new, count: count)
    }

    /// Fails unless splitting `text` at `separator` makes a list that fits the list budget.
    func checkSplit(_ text: String, separator: String?, line: Int?) throws(JinjaError) {
        try meter.chargeItems(text.utf8.count, line: line)
        guard let separator, !separator.isEmpty else { return }
        try meter.checkList(PythonString.count(text, separator) + 1, line: line)
    }
}
