import OrderedJSON
import Testing

@Suite("Ordered JSON")
struct JSONValueTests {
    @Test("objects keep the order their keys were written in")
    func keepsKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"zeta": 1, "alpha": [true, null, 2.5], "mid": {"b": "x", "a": "y"}}"#)
        #expect(value.serialized(.compact) == #"{"zeta":1,"alpha":[true,null,2.5],"mid":{"b":"x","a":"y"}}"#)
        #expect(value.serialized(.python) == #"{"zeta": 1, "alpha": [true, null, 2.5], "mid": {"b": "x", "a": "y"}}"#)
    }

    @Test("strings round-trip escapes and keep non-ASCII characters")
    func strings() throws {
        let value = try JSONValue(parsing: #"["caf\u00e9 \ud83d\ude00", "a\"b\\c\n\t\u0001", "日本"]"#)
        #expect(value == ["café 😀", "a\"b\\c\n\t\u{01}", "日本"])
        #expect(value.serialized() == #"["café 😀","a\"b\\c\n\t\u0001","日本"]"#)
    }

    @Test("Python's indented layout")
    func indented() throws {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(
            value.serialized(.pythonIndented(2)) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}")
    }

    @Test(
        "malformed text is an error naming where",
        arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\u{01}\"", "1 2", "tru"])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("a prefix parse stops at the end of the value")
    func prefix() throws {
        let (value, count) = try JSONValue.parsePrefix(of: #"  {"name": "f"} and more"#)
        #expect(value["name"] == "f")
        #expect(count == 15)
    }

    @Test("nesting beyond the limit is refused, not a stack overflow")
    func deepNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: String(repeating: "[", count: 100_000)) }
    }
}
