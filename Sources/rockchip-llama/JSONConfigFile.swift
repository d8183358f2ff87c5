import Configuration
import FoundationEssentials

/// Reads a flat JSON config file (`{"port": 8080, "modelsDir": "/srv/models", "apiKeys": ["k1"]}`) into
/// configuration values: scalars and lists of strings.
///
/// swift-configuration's own JSON provider needs full Foundation, which would add about 8 MB to every
/// server process; this reads the one shape we document with FoundationEssentials' decoder.
enum JSONConfigFile {
    private enum Scalar: Decodable {
        case string(String), int(Int), double(Double), bool(Bool), strings([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int.self) {
                self = .int(value)
            } else if let value = try? container.decode(Double.self) {
                self = .double(value)
            } else if let value = try? container.decode([String].self) {
                self = .strings(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        var content: ConfigContent {
            switch self {
            case .string(let value): .string(value)
            case .int(let value): .int(value)
            case .double(let value): .double(value)
            case .bool(let value): .bool(value)
            case .strings(let value): .stringArray(value)
            }
        }
    }

    /// A provider holding the file's values.
    static func provider(path: String) throws -> InMemoryProvider {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let values = try JSONDecoder().decode([String: Scalar].self, from: data)
        return InMemoryProvider(
            name: path,
            values: Dictionary(
                uniqueKeysWithValues: values.map {
                    (AbsoluteConfigKey([$0.key]), ConfigValue($0.value.content, isSecret: $0.key == "apiKeys"))
                }
            ))
    }
}
