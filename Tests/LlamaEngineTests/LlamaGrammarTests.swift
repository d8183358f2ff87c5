import Conversation
import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import OrderedJSON
import SchemaGrammar
import TestSupport
import Testing

@testable import LlamaEngine

/// Structured output on the real libllama.so and SmolLM2: the converter's grammars as llama.cpp parses and
/// applies them, and what a constrained generation produces.
@Suite(.serialized) struct LlamaGrammarTests {
    /// A schema, documents it accepts, and documents it refuses (in the order the schema lists members).
    struct Case: Sendable {
        var schema: String
        var valid: [String]
        var invalid: [String]
    }

    static let cases: [Case] = [
        Case(
            schema:
                ##"{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"color":{"enum":["red","green"]}},"required":["name","age","color"]}"##,
            valid: [
                ##"{"name":"Ann","age":31,"color":"red"}"##,
                "{\n  \"name\": \"B\\\"o\",\n  \"age\": -2,\n  \"color\": \"green\"\n}",
            ],
            invalid: [
                ##"{"name":"Ann","color":"red"}"##, ##"{"name":"Ann","age":31,"color":"pink"}"##,
                ##"{"name":"Ann","age":31,"color":"red","extra":1}"##, ##"{"name":"Ann","age":3.5,"color":"red"}"##,
                "{\"name\":" + String(repeating: " ", count: 30) + "\"Ann\",\"age\":1,\"color\":\"red\"}",
            ]),
        Case(
            schema:
                ##"{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer","minimum":1}},"required":["id"]},"minItems":2,"maxItems":3}"##,
            valid: [##"[{"id":1},{"id":2}]"##, ##"[ {"id": 7}, {"id": 8}, {"id": 9} ]"##],
            invalid: [##"[{"id":1}]"##, ##"[{"id":1},{"id":2},{"id":3},{"id":4}]"##, ##"[{"id":0},{"id":2}]"##, "[]"]),
        Case(
            schema:
                ##"{"type":"object","properties":{"address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}},"required":["city"]}},"required":["address"]}"##,
            valid: [##"{"address":{"city":"Oslo"}}"##, ##"{"address":{"city":"Oslo","zip":"01234"}}"##],
            invalid: [##"{"address":{}}"##, ##"{"address":{"city":"Oslo","zip":"1234"}}"##, ##"{"address":"Oslo"}"##]),
        Case(
            schema: ##"{"anyOf":[{"type":"string","maxLength":3},{"type":"integer","minimum":-5,"maximum":1234}]}"##,
            valid: [##""abc""##, "0", "-5", "1234", "999"], invalid: [##""abcd""##, "1235", "-6", "true", "01"]),
        Case(
            schema: ##"{"type":["string","null"],"minLength":2}"##, valid: ["null", ##""ab""##],
            invalid: [##""a""##, "1"]),
        Case(
            schema: ##"{"type":"string","nullable":true,"format":"date"}"##, valid: ["null", ##""2024-02-29""##],
            invalid: [##""2024-13-01""##, ##""24-01-01""##]),
        Case(
            schema:
                ##"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"integer"}}"##,
            valid: [##"{"a":"x","b":1}"##, ##"{"b":1,"c":2}"##, "{}"],
            invalid: [##"{"a":"x","b":"y"}"##, ##"{"a":1}"##]),
        Case(
            schema:
                ##"{"type":"object","properties":{"ab":{"type":"integer"},"b":{"type":"integer"}},"additionalProperties":true}"##,
            valid: [##"{"ab":1,"abc":"x"}"##, ##"{"a":[true]}"##, ##"{"b":1,"ba":null}"##],
            invalid: [##"{"b":1,"b":"x"}"##, ##"{"ab":"x"}"##]),
        Case(
            schema:
                ##"{"$defs":{"Node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["v"]}},"$ref":"#/$defs/Node"}"##,
            valid: [##"{"v":1,"kids":[{"v":2,"kids":[{"v":3}]}]}"##], invalid: [##"{"v":1,"kids":[{"kids":[]}]}"##]),
        Case(
            schema:
                ##"{"definitions":{"P":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},"allOf":[{"$ref":"#/definitions/P"},{"properties":{"y":{"type":"boolean"}},"required":["y"]}]}"##,
            valid: [##"{"x":1.5e3,"y":true}"##], invalid: [##"{"x":1}"##, ##"{"y":true}"##]),
        Case(
            schema:
                ##"{"type":"object","properties":{"t":{"format":"date-time"},"u":{"format":"uuid"},"e":{"format":"email"}},"required":["t","u","e"]}"##,
            valid: [
                ##"{"t":"2024-01-31T23:59:59.5+02:00","u":"123e4567-e89b-12d3-a456-426614174000","e":"a.b@example.org"}"##
            ],
            invalid: [
                ##"{"t":"2024-01-31 23:59","u":"123e4567-e89b-12d3-a456-426614174000","e":"a.b@example.org"}"##,
                ##"{"t":"2024-01-31T23:59:59Z","u":"123e4567","e":"a.b@example.org"}"##,
                ##"{"t":"2024-01-31T23:59:59Z","u":"123e4567-e89b-12d3-a456-426614174000","e":"nobody"}"##,
            ]),
        Case(
            schema: ##"{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"##,
            valid: [##"["a",1]"##, ##"["a"]"##, "[]"], invalid: [##"["a",1,2]"##, ##"[1,"a"]"##]),
        Case(
            schema: ##"{"const":{"k":[1,"x\"y"]}}"##, valid: [##"{"k":[1,"x\"y"]}"##], invalid: [##"{"k":[1]}"##]),
        Case(
            schema: ##"{"type":"string","pattern":"ab+c"}"##, valid: [##""xxabbbcyy""##, ##""abc""##],
            invalid: [##""ac""##, ##""xyz""##]),
        Case(
            schema: ##"{"type":"string","pattern":"^[^a-z]\\d{2}(?:x|\\.)*$"}"##,
            valid: [##""Q12x.x""##, ##""\"00""##],
            invalid: [##""q12""##, ##""Q1""##, ##""Q12y""##]),
        Case(
            schema: ##"{"type":"number","exclusiveMinimum":0,"maximum":10}"##,
            valid: ["0.5", "3", "10", "10.00", "9.999"], invalid: ["0", "0.0", "-1", "10.5", "11", "1e2"]),
        Case(
            schema: ##"{"type":"integer","minimum":100,"maximum":100000}"##, valid: ["100", "5432", "100000"],
            invalid: ["99", "100001", "0100"]),
        Case(
            schema:
                ##"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"}},"required":["b"]}"##,
            valid: [##"{"b":1}"##, ##"{"a":1,"b":2}"##, ##"{"b":2,"c":3}"##, ##"{"a":1,"b":2,"c":3}"##],
            invalid: ["{}", ##"{"a":1}"##, ##"{"a":1,"c":3}"##]),
    ]

    /// Constructs the cases above leave out.
    static let moreSchemas: [String] = [
        ##"{"oneOf":[{"const":"a"},{"const":{"k":[1,2.5,null]}}]}"##,
        ##"{"type":"number","nullable":true,"exclusiveMinimum":0,"maximum":10}"##,
        ##"{"type":"object","properties":{"d":{"format":"date"},"t":{"format":"time"},"w":{"format":"uri"}}}"##,
        ##"{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"boolean"},"maxItems":4}"##,
        ##"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"##,
        ##"{"type":"string","pattern":"^[A-Z][a-z]+(?:-[A-Z][a-z]+)*\\.?$"}"##,
        ##"{"type":"string","pattern":"x[^\"\\\\]{2,}|\\d\\s\\w.+?"}"##,
        ##"{"type":"integer","exclusiveMinimum":-1000,"exclusiveMaximum":0}"##,
        ##"{"type":"object","properties":{"o1":{},"o2":{},"r":{},"o3":{}},"required":["r","x"]}"##,
        ##"{"properties":{"n":{"type":"integer"}},"items":{"type":"string"}}"##,
        ##"{"type":"object","properties":{"a/b~c":{"type":"string"},"q\"uote":{"type":"string"}},"additionalProperties":true}"##,
        ##"{"type":"object","properties":{"name":{"type":"string"},"parent":{"$ref":"#"}},"required":["name"]}"##,
        ##"true"##,
        ##"{}"##,
    ]

    private static func loadModel() throws -> LlamaModel {
        let runtime = try LlamaRuntime.open(path: TestModel.libraryPath)
        return try LlamaModel(runtime: runtime, path: TestModel.modelPath, modelName: "grammar")
    }

    /// Whether the grammar, fed `text` token by token, allows every token and then the end of generation.
    private static func grammar(_ gbnf: String, accepts text: String, model: LlamaModel) throws -> Bool {
        let grammar = try LlamaGrammar(model: model, grammar: gbnf)
        for token in try model.tokenize(text, addSpecial: false, parseSpecial: false) {
            guard grammar.allows(token) else { return false }
            grammar.accept(token)
        }
        let end = try model.tokenize("<|im_end|>", addSpecial: false, parseSpecial: true)
        guard end.count == 1, let endToken = end.first, model.isEndOfGeneration(endToken) else {
            throw InferenceError.engineFailure("the test model has no single <|im_end|> token")
        }
        return grammar.allows(endToken)
    }

    @Test("llama.cpp parses the grammar of every schema construct")
    func everyGrammarParses() throws {
        let model = try Self.loadModel()
        let schemas = Self.moreSchemas + Self.cases.map(\.schema)
        for schema in schemas {
            let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema))
            #expect(throws: Never.self, "\(schema)\n\(gbnf)") { _ = try LlamaGrammar(model: model, grammar: gbnf) }
        }
        #expect(throws: Never.self) { _ = try LlamaGrammar(model: model, grammar: JSONSchemaGrammar.anyJSONObject) }
    }

    @Test(
        "llama.cpp parses the grammar of an object with 60, 100 or 200 optional properties",
        arguments: [60, 100, 200])
    func manyOptionalPropertiesParse(count: Int) throws {
        let model = try Self.loadModel()
        let schemas = [
            SchemaFixtures.object(properties: count),
            SchemaFixtures.object(properties: count + 1, required: 1),
            SchemaFixtures.object(properties: count, additional: true),
            ##"{"type":"array","items":\##(SchemaFixtures.object(properties: count))}"##,
        ]
        for schema in schemas {
            let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema))
            #expect(throws: Never.self, "\(schema.prefix(200))") { _ = try LlamaGrammar(model: model, grammar: gbnf) }
        }
        let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schemas[0]))
        // A late boolean field (field<n> is a boolean when n % 3 == 2) after an early integer one.
        let late = (count - 1) / 3 * 3 - 1
        #expect(try Self.grammar(gbnf, accepts: ##"{"field1": 7, "field\##(late)": true}"##, model: model))
        #expect(try !Self.grammar(gbnf, accepts: ##"{"field\##(late)": true, "field1": 7}"##, model: model))
    }

    @Test("a grammar llama.cpp refuses is an invalid request that says why, without the grammar in the message")
    func aRefusedGrammarSaysWhy() throws {
        let model = try Self.loadModel()
        // 50 repetitions of 50 repetitions pass llama.cpp's bound on the rules a repetition generates.
        let filler = (0..<40).map { "r\($0) ::= \"x\"" }.joined(separator: "\n")
        let grammar = "root ::= (\"a\"{0,50}){0,50} r39\n" + filler + "\n"
        do {
            _ = try LlamaGrammar(model: model, grammar: grammar)
            Issue.record("llama.cpp accepted the grammar")
        } catch .invalidRequest(let message) {
            #expect(message.hasPrefix("failed to parse grammar: number of rules"), "\(message)")
            #expect(!message.contains("r39 ::="), "\(message)")
            #expect(message.count < 400, "\(message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a required tool call's grammar takes a call in the model's syntax, after its reasoning, and nothing else")
    func toolCallGrammars() throws {
        let model = try Self.loadModel()
        let tools = [
            try JSONValue(
                parsing:
                    ##"{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"enum":["UTC","CET"]}},"required":["zone"]}}}"##
            )
        ]
        let call = ##"{"name": "get_time", "arguments": {"zone": "CET"}}"##
        let cases: [(ToolCallSyntax, ReasoningSyntax?, Bool, String)] = [
            (.hermes, nil, false, "<tool_call>\n\(call)\n</tool_call>"),
            (.mistral, nil, false, "[TOOL_CALLS][\(call)]"),
            (.llama3, nil, false, ##"{"name": "get_time", "parameters": {"zone": "UTC"}}"##),
            (.hermes, .think, false, "<think>Time in Europe.</think>\n\n<tool_call>\n\(call)\n</tool_call>"),
            (.hermes, .think, false, "<tool_call>\n\(call)\n</tool_call>"),
            (.hermes, .think, true, "It asks for the time.</think>\n<tool_call>\n\(call)\n</tool_call>"),
        ]
        for (syntax, reasoning, startsInReasoning, text) in cases {
            let gbnf = try ToolCallGrammar.gbnf(
                tools: tools, syntax: syntax, reasoning: reasoning, startsInReasoning: startsInReasoning)
            #expect(try Self.grammar(gbnf, accepts: text, model: model), "\(gbnf)\nrefused \(text)")
            #expect(try !Self.grammar(gbnf, accepts: "Hello there!", model: model))
            #expect(
                try !Self.grammar(gbnf, accepts: text.replacingOccurrences(of: "get_time", with: "rm_rf"), model: model)
            )
        }
    }

    @Test("the generic prompt's grammars: auto takes a call or plain text, required only a call")
    func genericToolGrammars() throws {
        let model = try Self.loadModel()
        let tools = [
            try JSONValue(
                parsing:
                    ##"{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"enum":["UTC","CET"]}},"required":["zone"]}}}"##
            )
        ]
        let one = ##"{"tool_call": {"name": "get_time", "arguments": {"zone": "CET"}}}"##
        let two = ##"{"tool_calls": [{"name": "get_time", "arguments": {"zone": "CET"}}]}"##
        let auto = try ToolCallGrammar.gbnfCallOrText(
            tools: tools, parallel: true, reasoning: nil, startsInReasoning: false)
        for text in [one, two, " " + one, "It is noon in Oslo.", "Sure! {not json} is fine later.", ""] {
            #expect(try Self.grammar(auto, accepts: text, model: model), "auto refused \(text)")
        }
        for text in [##"{"zone": "CET"}"##, ##"{"tool_call": {"name": "rm_rf", "arguments": {}}}"##] {
            #expect(try !Self.grammar(auto, accepts: text, model: model), "auto let \(text) through")
        }
        let single = try ToolCallGrammar.gbnf(
            tools: tools, syntax: .generic, reasoning: nil, startsInReasoning: false, parallel: false)
        #expect(try Self.grammar(single, accepts: one, model: model), "\(single)")
        #expect(try !Self.grammar(single, accepts: two, model: model))
        #expect(try !Self.grammar(single, accepts: "It is noon.", model: model))
        let thinking = try ToolCallGrammar.gbnfCallOrText(
            tools: tools, parallel: false, reasoning: .think, startsInReasoning: true)
        #expect(try Self.grammar(thinking, accepts: "Noon?</think>\n\nIt is noon.", model: model))
        #expect(try Self.grammar(thinking, accepts: "Noon?</think>\n" + one, model: model))
    }

    @Test("a grammar lets through the documents its schema accepts and stops the ones it refuses")
    func grammarsMatchTheirSchemas() throws {
        let model = try Self.loadModel()
        for testCase in Self.cases {
            let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: testCase.schema))
            for document in testCase.valid {
                #expect(
                    try Self.grammar(gbnf, accepts: document, model: model), "\(testCase.schema) refused \(document)")
            }
            for document in testCase.invalid {
                #expect(
                    try !Self.grammar(gbnf, accepts: document, model: model),
                    "\(testCase.schema) let \(document) through")
            }
        }
        let object = JSONSchemaGrammar.anyJSONObject
        #expect(try Self.grammar(object, accepts: ##"{"a": [1, {"b": null}], "c": "\u00e9"}"##, model: model))
        #expect(try !Self.grammar(object, accepts: "[1]", model: model))
        #expect(try !Self.grammar(object, accepts: ##"{"a": 1} trailing"##, model: model))
    }

    private func generate(_ request: EngineRequest) async throws -> (text: String, summary: GenerationSummary) {
        var text = ""
        for try await event in try await LlamaEngineTests.shared.get().generate(request) {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary): return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func constrained(_ prompt: String, grammar: String, seed: UInt32, maxTokens: Int = 200) -> EngineRequest {
        var request = EngineRequest(
            input: .chat([ChatMessage(role: .user, content: prompt)]), maxTokens: maxTokens,
            sampling: SamplingOptions(temperature: 0.8, seed: seed))
        request.grammar = grammar
        return request
    }

    static let generationSchemas: [(prompt: String, schema: String)] = [
        (
            "Describe a person as JSON with a name, an age and a favourite colour.",
            ##"{"type":"object","properties":{"name":{"type":"string","maxLength":40},"age":{"type":"integer","minimum":0,"maximum":120},"color":{"enum":["red","green","blue"]}},"required":["name","age","color"],"additionalProperties":false}"##
        ),
        (
            "List two or three books as a JSON array of objects with a title and a year.",
            ##"{"type":"array","items":{"type":"object","properties":{"title":{"type":"string","maxLength":40},"year":{"type":"integer"}},"required":["title","year"]},"minItems":2,"maxItems":3}"##
        ),
        (
            "Give a city and its location as JSON.",
            ##"{"type":"object","properties":{"city":{"type":"string","maxLength":40},"location":{"type":"object","properties":{"lat":{"type":"number","minimum":-90,"maximum":90},"lon":{"type":"number","minimum":-180,"maximum":180}},"required":["lat","lon"]}},"required":["city","location"]}"##
        ),
        (
            "How many legs does a spider have? Answer as JSON.",
            ##"{"type":"object","properties":{"answer":{"anyOf":[{"type":"integer"},{"type":"string","maxLength":30},{"type":"null"}]},"sure":{"type":"boolean"}},"required":["answer"]}"##
        ),
    ]

    @Test("constrained output is complete JSON that jsonschema validates against the request's schema")
    func constrainedOutputMatchesTheSchema() async throws {
        var outputs: [JSONValue] = []
        for (prompt, schema) in Self.generationSchemas {
            let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema))
            for seed: UInt32 in [1, 2, 3] {
                let (text, summary) = try await generate(constrained(prompt, grammar: gbnf, seed: seed))
                // A complete value leaves the model nothing but its end-of-turn token.
                #expect(summary.finishReason == .stop, "seed \(seed) did not finish: \(text)")
                outputs.append(["schema": try JSONValue(parsing: schema), "output": .string(text)])
            }
        }
        let failures = try Self.validateWithJSONSchema(outputs)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("an object schema with 60 optional properties gives JSON that jsonschema validates against it")
    func sixtyOptionalPropertiesGiveValidJSON() async throws {
        let schema = SchemaFixtures.object(properties: 60)
        let gbnf = try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema))
        var outputs: [JSONValue] = []
        for seed: UInt32 in [1, 2] {
            let (text, summary) = try await generate(
                constrained(
                    "Fill in a few of the fields field0 to field59 as a JSON object.", grammar: gbnf, seed: seed,
                    maxTokens: 300))
            #expect(summary.finishReason == .stop, "seed \(seed) did not finish: \(text)")
            outputs.append(["schema": try JSONValue(parsing: schema), "output": .string(text)])
        }
        let failures = try Self.validateWithJSONSchema(outputs)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("the json_object grammar makes the model answer with a JSON object")
    func jsonObjectOutputIsAnObject() async throws {
        for seed: UInt32 in [1, 2] {
            let (text, summary) = try await generate(
                constrained(
                    "Describe a cat in a small JSON object.", grammar: JSONSchemaGrammar.anyJSONObject, seed: seed,
                    maxTokens: 400))
            #expect(summary.finishReason == .stop, "\(text)")
            let value = try JSONValue(parsing: text)
            #expect(value.objectMembers != nil, "\(text)")
        }
    }

    @Test("a grammar with a syntax error is refused as an invalid request, and the engine goes on")
    func aBrokenGrammarIsAnInvalidRequest() async throws {
        for broken in [##"root ::= ("a" | "b""##, ##"root ::= undefined-rule"##, ##"start ::= "a""##] {
            do {
                _ = try await generate(constrained("Say a.", grammar: broken, seed: 1))
                Issue.record("\(broken) was accepted")
            } catch let error as InferenceError {
                guard case .invalidRequest(let message) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(message.contains("grammar"))
            }
        }
        let (text, _) = try await generate(constrained("Say yes.", grammar: ##"root ::= "yes" | "no""##, seed: 1))
        #expect(text == "yes" || text == "no")
    }

    /// Runs Python's jsonschema (the issue's oracle) over `[{schema, output}]`; returns what it refused.
    static func validateWithJSONSchema(_ outputs: [JSONValue]) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("grammar-\(UUID().uuidString).json")
        try Data(JSONValue.array(outputs).serialized().utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, jsonschema
            failures = []
            for case in json.load(open(sys.argv[1])):
                try:
                    jsonschema.validate(json.loads(case["output"]), case["schema"])
                except Exception as error:
                    failures.append(repr(case["output"]) + ": " + str(error).splitlines()[0])
            print(json.dumps(failures))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pythonPath)
        process.arguments = ["-c", script, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, case .array(let failures) = try JSONValue(parsing: Array(output)) else {
            throw InferenceError.engineFailure("jsonschema did not run (\(pythonPath))")
        }
        return failures.compactMap(\.stringValue)
    }

    /// The project's Python, which has jsonschema (`make bootstrap` installs it).
    static var pythonPath: String {
        if let path = ProcessInfo.processInfo.environment["ROCKCHIP_LLAMA_PYTHON"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path
    }
}
