/// Python's `str` methods, working on Unicode scalars as Python does on code points.
enum PythonString {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    static func strip(_ text: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ scalar: Unicode.Scalar) -> Bool { set.map { $0.contains(scalar) } ?? isSpace(scalar) }
        var start = 0
        var end = scalars.count
        if leading { while start < end, strippable(scalars[start]) { start += 1 } }
        if trailing { while end > start, strippable(scalars[end - 1]) { end -= 1 } }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func split(_ text: String, separator: String?, limit: Int) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        guard let separator else {
            var index = 0
            while true {
                while index < scalars.count, isSpace(scalars[index]) { index += 1 }
                guard index < scalars.count else { break }
                if limit >= 0, parts.count == limit {
                    var end = scalars.count
                    while end > index, isSpace(scalars[end - 1]) { end -= 1 }
                    parts.append(string(scalars[index..<end]))
                    break
                }
                let start = index
                while index < scalars.count, !isSpace(scalars[index]) { index += 1 }
                parts.append(string(scalars[start..<index]))
            }
            return parts
        }
        let pattern = Array(separator.unicodeScalars)
        var start = 0
        if limit != 0 {
            forEachMatch(of: pattern, in: scalars) { index in
                parts.append(string(scalars[start..<index]))
                start = index + pattern.count
                return limit < 0 || parts.count < limit
            }
        }
        parts.append(string(scalars[start...]))
        return parts
    }

    static func rsplit(_ text: String, separator: String?, limit: Int) -> [String] {
        guard limit >= 0 else { return split(text, separator: separator, limit: limit) }
        let reversedText = String(String.UnicodeScalarView(text.unicodeScalars.reversed()))
        let reversedSeparator = separator.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        return split(reversedText, separator: reversedSeparator, limit: limit).reversed().map {
            String(String.UnicodeScalarView($0.unicodeScalars.reversed()))
        }
    }

    static func title(_ text: String) -> String {
        var result = ""
        var previousCased = false
        for character in text {
            if character.isLetter {
                result += previousCased ? character.lowercased() : character.uppercased()
                previousCased = true
            } else {
                result.append(character)
                previousCased = false
            }
        }
        return result
    }

    static func capitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }

    static func replace(_ text: String, _ old: String, _ new: String, count: Int) -> String {
        if old.isEmpty {
            var result = new
            for scalar in text.unicodeScalars {
                result.unicodeScalars.append(scalar)
                result += new
            }
            return result
        }
        let parts = split(text, separator: old, limit: count)
        return parts.joined(separator: new)
    }

    static func find(_ text: String, _ part: String, last: Bool) -> Int {
        let scalars = Array(text.unicodeScalars)
        let pattern = Array(part.unicodeScalars)
        guard pattern.count <= scalars.count else { return -1 }
        if pattern.isEmpty { return last ? scalars.count : 0 }
        var found = -1
        forEachMatch(of: pattern, in: scalars, overlapping: last) { index in
            found = index
            return last
        }
        return found
    }

    /// How many times `part` occurs in `text` without overlaps, Python's `str.count`.
    static func count(_ text: String, _ part: String) -> Int {
        if part.isEmpty { return text.unicodeScalars.count + 1 }
        var count = 0
        forEachMatch(of: Array(part.unicodeScalars), in: Array(text.unicodeScalars)) { _ in
            count += 1
            return true
        }
        return count
    }

    /// Calls `body` with the start of each match of `pattern` in `scalars`, left to right, until it returns
    /// false; linear in both lengths (Knuth-Morris-Pratt), so no text and needle make it quadratic.
    /// Matches do not overlap unless `overlapping`.
    static func forEachMatch(
        of pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar], overlapping: Bool = false,
        _ body: (Int) -> Bool
    ) {
        guard !pattern.isEmpty, pattern.count <= scalars.count else { return }
        var fallback = [Int](repeating: 0, count: pattern.count)
        var matched = 0
        for index in 1..<max(1, pattern.count) {
            while matched > 0, pattern[index] != pattern[matched] { matched = fallback[matched - 1] }
            if pattern[index] == pattern[matched] { matched += 1 }
            fallback[index] = matched
        }
        matched = 0
        for (index, scalar) in scalars.enumerated() {
            while matched > 0, scalar != pattern[matched] { matched = fallback[matched - 1] }
            if scalar == pattern[matched] { matched += 1 }
            guard matched == pattern.count else { continue }
            guard body(index + 1 - pattern.count) else { return }
            matched = overlapping ? fallback[matched - 1] : 0
        }
    }

    static func splitlines(_ text: String) -> [String] {
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        let scalars = Array(text.unicodeScalars)
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            if breaks.contains(scalars[index].value) {
                lines.append(string(scalars[start..<index]))
                if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < scalars.count { lines.append(string(scalars[start...])) }
        return lines
    }

    static func classify(_ text: String, _ name: String) -> Bool {
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty else { return false }
        switch name {
        case "isdigit": return scalars.allSatisfy { $0.properties.numericType != nil }
        case "isalpha": return scalars.allSatisfy { $0.properties.isAlphabetic }
        case "isalnum": return scalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        case "isspace": return scalars.allSatisfy(isSpace)
        case "islower":
            return scalars.contains { $0.properties.isLowercase } && !scalars.contains { $0.properties.isUppercase }
        default:
            return scalars.contains { $0.properties.isUppercase } && !scalars.contains { $0.properties.isLowercase }
        }
    }

    /// `str.format` with `{}`, `{0}` and `{name}` fields and no format specs.
    static func format(
        _ text: String, _ arguments: CallArguments, limit: Int, line: Int,
        describe: (JinjaValue) throws(JinjaError) -> String
    ) throws(JinjaError) -> String {
        var result = ""
        var automatic = 0
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if character == "}" {
                guard iterator.next() == "}" else {
                    throw JinjaError(.runtime, "Single '}' in format string", line: line)
                }
                result.append("}")
                continue
            }
            guard character == "{" else {
                result.append(character)
                continue
            }
            var field = ""
            var closed = false
            while let next = iterator.next() {
                if next == "{", field.isEmpty {
                    result.append("{")
                    closed = true
                    field = "{"
                    break
                }
                if next == "}" {
                    closed = true
                    break
                }
                field.append(next)
            }
            guard closed else { throw JinjaError(.runtime, "Single '{' in format string", line: line) }
            if field == "{" { continue }
            let value: JinjaValue?
            if field.isEmpty {
                value = automatic < arguments.positional.count ? arguments.positional[automatic] : nil
                automatic += 1
            } else if let index = Int(field) {
                value = index < arguments.positional.count ? arguments.positional[index] : nil
            } else {
                guard !field.contains(where: { ":!.[".contains($0) }) else {
                    throw JinjaError(.unsupported, "format fields with specs are not supported", line: line)
                }
                value = arguments.keyword.first { $0.name == field }?.value
            }
            guard let value else { throw JinjaError(.runtime, "format field '\(field)' has no value", line: line) }
            let piece = try describe(value)
            guard result.utf8.count + piece.utf8.count <= limit else {
                throw .exceeded(.stringSize(bytes: limit), line: line)
            }
            result += piece
        }
        return result
    }
}
