import EngineSupport
import InferenceTypes
import OrderedJSON
import SchemaGrammar
import Testing

/// The JSON Schema to GBNF converter on its own; llama.cpp's parser and sampler check its grammars in
/// LlamaGrammarTests.
@Suite struct JSONSchemaGrammarTests {
    private func grammar(_ schema: String) throws -> String {
        try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema))
    }

    @Test(
        "a keyword the grammar cannot enforce is refused, naming the keyword and where it is",
        arguments: [
            (##"{"type":"object","properties":{"a":{"not":{"type":"string"}}}}"##, "'not'", "#/properties/a"),
            (##"{"if":{"type":"string"},"then":{"minLength":1}}"##, "'if'", "#"),
            (##"{"type":"object","patternProperties":{"^x":{}}}"##, "'patternProperties'", "#"),
            (##"{"type":"array","items":{"type":"integer"},"uniqueItems":true}"##, "'uniqueItems'", "#"),
            (##"{"type":"number","multipleOf":2}"##, "'multipleOf'", "#"),
            (##"{"type":"object","minProperties":1}"##, "'minProperties'", "#"),
            (##"{"type":"array","items":{"type":"string","pattern":"^(?=x)"}}"##, "look-ahead", "#/items"),
            (##"{"type":"string","pattern":"(a)\\1"}"##, "back-reference", "#"),
            (##"{"$ref":"https://example.com/person.json"}"##, "'$ref'", "#"),
            (##"{"$ref":"#/$defs/Missing"}"##, "#/$defs/Missing", "#"),
            (##"{"type":"number","minimum":0.5}"##, "'minimum'", "#"),
            (##"{"type":"string","maxLength":100000}"##, "'maxLength'", "#"),
        ])
    func unsupportedKeywordsAreNamed(schema: String, keyword: String, path: String) throws {
        let message = try schemaRefusal(schema)
        #expect(message?.contains(keyword) == true, "\(message ?? "converted")")
        #expect(message?.contains("at \(path)") == true, "\(message ?? "converted")")
    }

    @Test("a pattern of deeply nested groups is refused quickly instead of recursing as deep")
    func deeplyNestedPatternGroupsAreRefused() throws {
        let pattern = String(repeating: "(", count: 200_000) + "a" + String(repeating: ")", count: 200_000)
        let message = try schemaRefusal(#"{"type":"string","pattern":"\#(pattern)"}"#)
        #expect(message?.contains("nested deeper than 32") == true, "\(message ?? "converted")")
        let fine = String(repeating: "(", count: 20) + "a" + String(repeating: ")", count: 20)
        #expect(try schemaRefusal(#"{"type":"string","pattern":"\#(fine)"}"#) == nil)
    }

    @Test(
        "a schema no value can match is refused instead of giving a grammar that never ends",
        arguments: [
            ##"{"type":"object","properties":{"a":false},"required":["a"]}"##,
            ##"{"allOf":[{"type":"string"},{"type":"integer"}]}"##,
            ##"{"type":"array","minItems":3,"maxItems":2}"##,
            ##"{"type":"array","prefixItems":[{"type":"string"}],"items":false,"minItems":2}"##,
            ##"{"type":"string","enum":[1,2]}"##,
            ##"{"type":"string","minLength":5,"maxLength":2}"##,
            ##"{"type":"integer","minimum":10,"maximum":3}"##,
            ##"{"type":"number","exclusiveMinimum":1,"exclusiveMaximum":1}"##,
            ##"{"type":"object","required":["id"],"additionalProperties":false}"##,
            ##"{"$defs":{"A":{"$ref":"#/$defs/B"},"B":{"$ref":"#/$defs/A"}},"$ref":"#/$defs/A"}"##,
            ##"false"##,
        ])
    func contradictionsAreRefused(schema: String) throws {
        #expect(try schemaRefusal(schema) != nil)
    }

    @Test("every rule a grammar uses is defined exactly once, recursive schemas included")
    func rulesAreComplete() throws {
        for schema in Self.corpus {
            let text = try grammar(schema)
            let rules = try Self.rules(of: text)
            let names = rules.map(\.name)
            #expect(names.first == "root", "\(schema)")
            #expect(Set(names).count == names.count, "a rule is defined twice for \(schema)")
            for rule in rules {
                for reference in Self.references(in: rule.body) {
                    #expect(names.contains(reference), "\(rule.name) uses undefined \(reference) for \(schema)")
                }
            }
        }
    }

    @Test("members come out in the order the schema lists them, not sorted")
    func memberOrderFollowsTheSchema() throws {
        let text = try grammar(
            ##"{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"integer"}},"required":["zeta","alpha"]}"##
        )
        let root = try #require(try Self.rules(of: text).first { $0.name == "root" })
        let zeta = try #require(root.body.firstRange(of: "zeta-kv"))
        let alpha = try #require(root.body.firstRange(of: "alpha-kv"))
        #expect(zeta.lowerBound < alpha.lowerBound)
    }

    @Test("a recursive schema gives a recursive rule instead of expanding forever")
    func recursionIsGuarded() throws {
        let text = try grammar(
            ##"{"type":"object","properties":{"name":{"type":"string"},"parent":{"$ref":"#"}},"required":["name"]}"##)
        let rules = try Self.rules(of: text)
        #expect(rules.count < 20)
        let document = try #require(rules.first { $0.name == "document" })
        let parent = try #require(rules.first { $0.name == "parent-kv" })
        #expect(Self.references(in: parent.body).contains("document"))
        #expect(document.body.contains("name-kv"))
    }

    @Test("nesting deeper than the limit is refused, not a crash")
    func deepNestingIsRefused() throws {
        var schema = ##"{"type":"string"}"##
        for _ in 0..<100 { schema = ##"{"type":"array","items":\##(schema)}"## }
        let message = try schemaRefusal(schema)
        #expect(message?.contains("deeper") == true)
    }

    @Test("the json_object grammar's root is any object")
    func anyObject() throws {
        let rules = try Self.rules(of: JSONSchemaGrammar.anyJSONObject)
        #expect(rules.first?.name == "root")
        #expect(rules.first?.body == "object")
        #expect(rules.map(\.name).contains("value"))
    }

    /// Schemas of every construct the converter handles.
    static let corpus: [String] = [
        ##"{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"color":{"enum":["red","green"]}},"required":["name","age","color"]}"##,
        ##"{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]},"minItems":2,"maxItems":5}"##,
        ##"{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{"c":{"type":"boolean"}}}}}}}"##,
        ##"{"anyOf":[{"type":"string","maxLength":3},{"type":"integer","minimum":-5,"maximum":1234},{"type":"null"}]}"##,
        ##"{"oneOf":[{"const":"a"},{"const":{"k":[1,2.5,null]}}]}"##,
        ##"{"type":["string","null"],"minLength":1}"##,
        ##"{"type":"number","nullable":true,"exclusiveMinimum":0,"maximum":10}"##,
        ##"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"integer"}}"##,
        ##"{"type":"object","properties":{"ab":{},"abc":{},"b":{}},"additionalProperties":true}"##,
        ##"{"$defs":{"Node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/Node"}}}}},"$ref":"#/$defs/Node"}"##,
        ##"{"definitions":{"P":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},"allOf":[{"$ref":"#/definitions/P"},{"properties":{"y":{"type":"boolean"}},"required":["y"]}]}"##,
        ##"{"type":"object","properties":{"d":{"format":"date"},"t":{"format":"time"},"dt":{"format":"date-time"},"u":{"format":"uuid"},"e":{"format":"email"},"w":{"format":"uri"}}}"##,
        ##"{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"boolean"},"maxItems":4}"##,
        ##"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"##,
        ##"{"type":"string","pattern":"^[A-Z][a-z]+(?:-[A-Z][a-z]+)*\\.?$"}"##,
        ##"{"type":"string","pattern":"x[^\"\\\\]{2,}|\\d\\s\\w"}"##,
        ##"{"type":"integer","exclusiveMinimum":-1000,"exclusiveMaximum":0}"##,
        ##"{"type":"object","properties":{"o1":{},"o2":{},"r":{},"o3":{}},"required":["r","x"]}"##,
        ##"{"properties":{"n":{"type":"integer"}},"items":{"type":"string"}}"##,
        ##"{"type":"object","properties":{"a/b~c":{"type":"string"},"q\"uote":{"type":"string"}},"additionalProperties":true}"##,
        ##"true"##,
        ##"{}"##,
    ]

    /// The rules of a grammar, one per line as the converter writes them.
    static func rules(of grammar: String) throws -> [(name: String, body: String)] {
        try grammar.split(separator: "\n").map { line in
            let parts = line.split(separator: " ::= ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw InferenceError.invalidRequest("not a rule: \(line)") }
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// The rule names a body refers to: words outside literals, character classes and repetition counts.
    static func references(in body: String) -> Set<String> {
        var names: Set<String> = []
        var word = ""
        var characters = body.makeIterator()
        func flush() {
            if !word.isEmpty, !word.allSatisfy(\.isNumber) { names.insert(word) }
            word = ""
        }
        while let character = characters.next() {
            switch character {
            case "\"", "[":
                flush()
                let closing: Character = character == "\"" ? "\"" : "]"
                while let inner = characters.next(), inner != closing {
                    if inner == "\\" { _ = characters.next() }
                }
            case "{":
                flush()
                while let inner = characters.next(), inner != "}" {}
            default:
                if character.isLetter || character.isNumber || character == "-" {
                    word.append(character)
                } else {
                    flush()
                }
            }
        }
        flush()
        return names
    }
}

/// The message of the `invalidRequest` the schema is refused with, or `nil` when it converts.
func schemaRefusal(_ schema: String) throws -> String? {
    let value = try JSONValue(parsing: schema)
    do {
        _ = try JSONSchemaGrammar.gbnf(for: value)
        return nil
    } catch .invalidRequest(let message) {
        return message
    } catch {
        Issue.record("unexpected \(error)")
        return "\(error)"
    }
}
