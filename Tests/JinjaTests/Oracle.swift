import Foundation
import Jinja
import OrderedJSON

/// One template and context to render on both sides.
struct OracleCase {
    var name: String
    var template: String
    var context: JSONValue
}

/// What Python's jinja2, set up as transformers sets it up, made of one case.
enum OracleResult: Equatable {
    case output(String)
    case error(message: String, raised: Bool, phase: String)
}

/// Runs `Oracle/render.py` with the repository's virtual environment.
enum Oracle {
    static let testsDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Renders every case with Python in one process.
    static func render(_ cases: [OracleCase]) throws -> [OracleResult] {
        let python = repositoryRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Failure(
                description:
                    "\(python.path) is missing: run `make test` (or the bootstrap) to create the venv with jinja2")
        }
        let batch = JSONValue.array(
            cases.map {
                JSONValue.object([JSONMember("template", .string($0.template)), JSONMember("context", $0.context)])
            })
        let process = Process()
        process.executableURL = python
        process.arguments = [testsDirectory.appendingPathComponent("Oracle/render.py").path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(batch.serialized().utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "render.py exited with status \(process.terminationStatus)")
        }
        guard case .array(let results) = try JSONValue(parsing: Array(data)), results.count == cases.count else {
            throw Failure(description: "render.py returned an unexpected answer")
        }
        return results.map { result in
            if let text = result["output"]?.stringValue { return .output(text) }
            return .error(
                message: result["error"]?.stringValue ?? "", raised: result["raised"] == .bool(true),
                phase: result["phase"]?.stringValue ?? "")
        }
    }

    /// Renders one case with the Swift engine, in the same shape as Python's answer.
    static func renderWithSwift(_ testCase: OracleCase) -> OracleResult {
        let template: JinjaTemplate
        do {
            template = try JinjaTemplate(testCase.template)
        } catch {
            return .error(message: error.message, raised: false, phase: "parse")
        }
        do {
            return .output(try template.render(context(testCase.context)))
        } catch {
            return .error(message: error.message, raised: error.isRaisedByTemplate, phase: "render")
        }
    }

    static func context(_ json: JSONValue) -> [String: JinjaValue] {
        var result: [String: JinjaValue] = [:]
        for member in json.objectMembers ?? [] { result[member.key] = JinjaValue(member.value) }
        return result
    }

    /// Compares both sides: outputs byte for byte; errors must happen on both sides, with the same message when
    /// the template raised it itself.
    static func mismatch(python: OracleResult, swift: OracleResult) -> String? {
        switch (python, swift) {
        case (.output(let expected), .output(let actual)):
            return expected == actual ? nil : "output differs\n--- python:\n\(expected)\n--- swift:\n\(actual)"
        case (.error(let expected, true, _), .error(let actual, let raised, _)):
            return raised && expected == actual ? nil : "python raised '\(expected)', swift failed with '\(actual)'"
        case (.error(_, false, _), .error(_, false, _)):
            return nil
        default:
            return "python: \(python)\nswift: \(swift)"
        }
    }
}
