/// Splits a template into tokens the way jinja2's lexer does with `trim_blocks` and `lstrip_blocks` on:
/// newlines normalised to `\n`, one trailing newline dropped, `-` and `+` whitespace control, raw blocks.
struct Lexer {
    let bytes: [UInt8]
    var position = 0
    var lineStarts: [Int] = [0]
    var tokens: [Token] = []
    var lineStarting = true

    init(_ source: String) {
        var text = source.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        if text.hasSuffix("\n") { text.removeLast() }
        bytes = Array(text.utf8)
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
    }

    static func tokenize(_ source: String) throws(JinjaError) -> [Token] {
        guard source.utf8.count <= JinjaLimits.maxSourceBytes else {
            throw .exceeded(.sourceSize(bytes: JinjaLimits.maxSourceBytes))
        }
        var lexer = Lexer(source)
        try lexer.run()
        return lexer.tokens
    }

    func line(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    mutating func run() throws(JinjaError) {
        while position < bytes.count {
            guard let tagStart = nextTagStart(from: position) else {
                emitData(text(position..<bytes.count), at: position)
                position = bytes.count
                break
            }
            let opener = bytes[tagStart + 1]
            var afterOpener = tagStart + 2
            var sign: UInt8?
            if let next = byte(afterOpener), next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                sign = next
                afterOpener += 1
            }
            let isVariable = opener == UInt8(ascii: "{")
            var data = Array(bytes[position..<tagStart])
            stripBefore(&data, sign: sign, lstrip: !isVariable)
            if !data.isEmpty { emitData(String(decoding: data, as: UTF8.self), at: position) }
            switch opener {
            case UInt8(ascii: "#"):
                try lexComment(from: afterOpener, start: tagStart)
            case UInt8(ascii: "%"):
                if let bodyStart = rawBlockBody(after: afterOpener) {
                    try lexRaw(from: bodyStart, start: tagStart)
                } else {
                    tokens.append(Token(kind: .blockBegin, line: line(at: tagStart)))
                    position = afterOpener
                    try lexInsideTag(isBlock: true)
                }
            default:
                tokens.append(Token(kind: .variableBegin, line: line(at: tagStart)))
                position = afterOpener
                try lexInsideTag(isBlock: false)
            }
        }
        tokens.append(Token(kind: .end, line: line(at: bytes.count)))
    }

    func nextTagStart(from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "{") {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "{") || next == UInt8(ascii: "%") || next == UInt8(ascii: "#") { return index }
            }
            index += 1
        }
        return nil
    }

    mutating func emitData(_ text: String, at offset: Int) {
        tokens.append(Token(kind: .data(text), line: line(at: offset)))
    }

    /// jinja2's rules for the text before a tag: `-` strips all whitespace; otherwise, for block and comment
    /// tags, `lstrip_blocks` removes spaces and tabs between the start of the line and the tag.
    func stripBefore(_ data: inout [UInt8], sign: UInt8?, lstrip: Bool) {
        if sign == UInt8(ascii: "-") {
            while let last = data.last, Self.isSpace(last) { data.removeLast() }
            return
        }
        guard sign != UInt8(ascii: "+"), lstrip else { return }
        let lineStart = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        guard lineStart > 0 || lineStarting else { return }
        if data[lineStart...].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { data.removeSubrange(lineStart...) }
    }

    /// Consumes a tag end (`%}`, `#}`) with its whitespace rules from `offset`; returns where text resumes.
    mutating func finishBlockEnd(at offset: Int, hadSign sign: UInt8?) -> Int {
        var end = offset + 2
        if sign == UInt8(ascii: "-") {
            while let next = byte(end), Self.isSpace(next) { end += 1 }
        } else if sign != UInt8(ascii: "+"), byte(end) == UInt8(ascii: "\n") {
            end += 1
        }
        lineStarting = end > 0 && bytes[end - 1] == UInt8(ascii: "\n")
        return end
    }

    mutating func lexComment(from start: Int, start tagStart: Int) throws(JinjaError) {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "#"), bytes[index + 1] == UInt8(ascii: "}") {
                let before = index > start ? bytes[index - 1] : nil
                let sign = (before == UInt8(ascii: "-") || before == UInt8(ascii: "+")) ? before : nil
                position = finishBlockEnd(at: index, hadSign: sign)
                return
            }
            index += 1
        }
        throw JinjaError(.syntax, "missing end of comment tag", line: line(at: tagStart))
    }

    /// When the block tag starting after `{%` is `raw`, the offset where the raw text begins.
    func rawBlockBody(after offset: Int) -> Int? {
        var index = offset
        while let next = byte(index), Self.isSpace(next) { index += 1 }
        guard index + 3 <= bytes.count, bytes[index..<index + 3].elementsEqual("raw".utf8) else { return nil }
        index += 3
        if let next = byte(index), !Self.isSpace(next), next != UInt8(ascii: "-"), next != UInt8(ascii: "%") {
            return nil
        }
        while let next = byte(index), Self.isSpace(next) { index += 1 }
        if byte(index) == UInt8(ascii: "-"), byte(index + 1) == UInt8(ascii: "%"), byte(index + 2) == UInt8(ascii: "}")
        {
            index += 3
            while let next = byte(index), Self.isSpace(next) { index += 1 }
            return index
        }
        if byte(index) == UInt8(ascii: "%"), byte(index + 1) == UInt8(ascii: "}") { return index + 2 }
        return nil
    }

    mutating func lexRaw(from bodyStart: Int, start tagStart: Int) throws(JinjaError) {
        var index = bodyStart
        while let tag = nextTagStart(from: index) {
            guard bytes[tag + 1] == UInt8(ascii: "%") else {
                index = tag + 1
                continue
            }
            var cursor = tag + 2
            var sign: UInt8?
            if let next = byte(cursor), next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                sign = next
                cursor += 1
            }
            while let next = byte(cursor), Self.isSpace(next) { cursor += 1 }
            guard cursor + 6 <= bytes.count, bytes[cursor..<cursor + 6].elementsEqual("endraw".utf8) else {
                index = tag + 1
                continue
            }
            cursor += 6
            while let next = byte(cursor), Self.isSpace(next) { cursor += 1 }
            var endSign: UInt8?
            if let next = byte(cursor), next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                endSign = next
                cursor += 1
            }
            guard byte(cursor) == UInt8(ascii: "%"), byte(cursor + 1) == UInt8(ascii: "}") else {
                throw JinjaError(.syntax, "malformed endraw tag", line: line(at: tag))
            }
            var data = Array(bytes[bodyStart..<tag])
            stripBefore(&data, sign: sign, lstrip: true)
            if !data.isEmpty { emitData(String(decoding: data, as: UTF8.self), at: bodyStart) }
            position = finishBlockEnd(at: cursor, hadSign: endSign)
            return
        }
        throw JinjaError(.syntax, "missing endraw for the raw block", line: line(at: tagStart))
    }
}
