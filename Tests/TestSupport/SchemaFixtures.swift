/// JSON schemas built for the grammar-size tests.
public enum SchemaFixtures {
    /// An object schema with `count` properties `field0`... of mixed types (a short string, an integer, a
    /// boolean), the first `required` of them required, other members allowed when `additional` is true.
    public static func object(properties count: Int, required: Int = 0, additional: Bool = false) -> String {
        let types = [##"{"type":"string","maxLength":20}"##, ##"{"type":"integer"}"##, ##"{"type":"boolean"}"##]
        let properties = (0..<count).map { ##""field\##($0)":\##(types[$0 % types.count])"## }
        let names = (0..<required).map { ##""field\##($0)""## }
        return
            ##"{"type":"object","properties":{\##(properties.joined(separator: ","))},"required":[\##(names.joined(separator: ","))],"additionalProperties":\##(additional)}"##
    }
}
