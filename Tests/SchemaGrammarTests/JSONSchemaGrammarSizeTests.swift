import EngineSupport
import Foundation
import InferenceTypes
import OrderedJSON
import SchemaGrammar
import TestSupport
import Testing

/// What a schema may cost: grammars that grow linearly with the number of properties, and schemas over the
/// bounds refused at once with a message naming the bound.
@Suite struct JSONSchemaGrammarSizeTests {
    private func size(_ schema: String) throws -> Int {
        try JSONSchemaGrammar.gbnf(for: JSONValue(parsing: schema)).utf8.count
    }

    @Test(
        "the grammar grows linearly with the number of optional properties, wherever the required ones are",
        arguments: [0, 1, 50])
    func optionalPropertiesGrowLinearly(required: Int) throws {
        let sizes = try [50, 100, 200].map {
            try size(SchemaFixtures.object(properties: $0 + required, required: required))
        }
        // Doubling the optional properties at most about doubles the grammar (quadratic growth would give 4x).
        #expect(Double(sizes[1]) < 2.3 * Double(sizes[0]), "\(sizes)")
        #expect(Double(sizes[2]) < 2.3 * Double(sizes[1]), "\(sizes)")
        #expect(sizes[2] < 40_000, "\(sizes)")
    }

    @Test("a schema with 10000 properties is refused at once, naming the rule limit")
    func tenThousandPropertiesAreRefused() throws {
        let schema = SchemaFixtures.object(properties: 10_000)
        let start = ContinuousClock.now
        let message = try schemaRefusal(schema)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(message?.contains("too large") == true && message?.contains("4000 rules") == true, "\(message ?? "")")
    }

    @Test("an object schema nested 200 deep is refused at once, naming the depth limit")
    func deepObjectsAreRefused() throws {
        var schema = ##"{"type":"string"}"##
        for _ in 0..<200 { schema = ##"{"type":"object","properties":{"inner":\##(schema)},"required":["inner"]}"## }
        let start = ContinuousClock.now
        let message = try schemaRefusal(schema)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(message?.contains("deeper than 64 levels") == true, "\(message ?? "")")
    }

    @Test("a schema whose grammar would pass the size limit is refused, naming the limit")
    func oversizedGrammarIsRefused() throws {
        let long = String(repeating: "x", count: 10_000)
        let values = (0..<60).map { ##""\##(long)\##($0)""## }.joined(separator: ",")
        let message = try schemaRefusal(##"{"enum":[\##(values)]}"##)
        #expect(message?.contains("over the limit of \(JSONSchemaGrammar.maxGrammarBytes)") == true, "\(message ?? "")")
    }
}
