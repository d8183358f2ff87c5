import Foundation
import Jinja
import OrderedJSON
import Testing

@Suite("Real chat templates render exactly as transformers renders them")
struct RealTemplateTests {
    static let fixtures = Oracle.testsDirectory.appendingPathComponent("Fixtures")

    static func templates() throws -> [(name: String, source: String)] {
        let directory = fixtures.appendingPathComponent("templates")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jinja") }
            .sorted().map { name in
                (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
            }
    }

    static func conversations() throws -> [(name: String, context: JSONValue)] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("conversations.json"))
        let corpus = try JSONValue(parsing: Array(data))
        return (corpus.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "?", $0["context"] ?? .null) }
    }

    @Test("every template parses, including each model's own tags and filters")
    func templatesParse() throws {
        let templates = try Self.templates()
        #expect(templates.count >= 14)
        for template in templates {
            #expect(throws: Never.self, "\(template.name)") { _ = try JinjaTemplate(template.source) }
        }
    }

    @Test("every template and conversation renders byte for byte like Python jinja2, errors included")
    func matchesPython() throws {
        var cases: [OracleCase] = []
        for template in try Self.templates() {
            for conversation in try Self.conversations() {
                cases.append(
                    OracleCase(
                        name: "\(template.name) × \(conversation.name)", template: template.source,
                        context: conversation.context))
            }
        }
        let expected = try Oracle.render(cases)
        var outputs = 0
        for (testCase, python) in zip(cases, expected) {
            if case .output = python { outputs += 1 }
            if let mismatch = Oracle.mismatch(python: python, swift: Oracle.renderWithSwift(testCase)) {
                Issue.record("\(testCase.name): \(mismatch)")
            }
        }
        #expect(outputs > cases.count / 2, "most cases should render, not raise")
    }
}
