// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode is the tools default; these add the house's strictness.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

/// How the release executable is linked on Linux: with lld, and without the static stdlib's `-export-dynamic`,
/// which put 40,000 Swift symbols (3.4 MB of `.dynsym` and `.dynstr`) in the dynamic symbol table; the dynamic
/// linker searched it for every symbol a library asked for, so most of it stayed resident in every process.
/// Nothing looks our symbols up by name: the engines are C libraries we load, and they never call back by name.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))
]

let package = Package(
    name: "rockchip-llama",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rockchip-llama", targets: ["rockchip-llama"]),
        // For the fuzz targets in Fuzz/, which reach the parsers of untrusted input through these.
        .library(name: "GGUF", targets: ["GGUF"]),
        .library(name: "SchemaGrammar", targets: ["SchemaGrammar"]),
        .library(name: "InferenceTypes", targets: ["InferenceTypes"]),
        .library(name: "Jinja", targets: ["Jinja"]),
        .library(name: "OrderedJSON", targets: ["OrderedJSON"]),
        .library(name: "ImageCodec", targets: ["ImageCodec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(name: "CLlama"),
        .target(name: "CRKLLM"),
        .target(name: "CRKNN"),
        .target(name: "OrderedJSON", swiftSettings: strictSettings),
        .target(name: "Jinja", dependencies: ["OrderedJSON"], swiftSettings: strictSettings),
        // JPEG and PNG decoding and the resizing vision encoders want: pure Swift, for untrusted images.
        .target(name: "ImageCodec", swiftSettings: strictSettings),
        // The core, layer by layer: what engines see (the first two), then what the core alone uses.
        .target(
            name: "InferenceTypes", dependencies: ["OrderedJSON"], swiftSettings: strictSettings),
        .target(
            name: "EngineSupport", dependencies: ["InferenceTypes", "OrderedJSON"], swiftSettings: strictSettings),
        .target(name: "GGUF", dependencies: ["EngineSupport", "OrderedJSON"], swiftSettings: strictSettings),
        .target(name: "SchemaGrammar", dependencies: ["InferenceTypes", "OrderedJSON"], swiftSettings: strictSettings),
        .target(
            name: "ModelStore",
            dependencies: [
                "InferenceTypes", "EngineSupport", "GGUF", "OrderedJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Conversation",
            dependencies: ["InferenceTypes", "EngineSupport", "SchemaGrammar", "OrderedJSON", "Jinja"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "InferenceCore",
            dependencies: [
                "InferenceTypes", "EngineSupport", "ModelStore", "Conversation", "SchemaGrammar", "OrderedJSON",
                "ImageCodec",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LlamaEngine",
            dependencies: [
                "InferenceTypes", "EngineSupport", "GGUF", "CLlama", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Vision encoders (.rknn) through the RKNN runtime, for the RKLLM engine's vision models.
        .target(
            name: "RKNNVision", dependencies: ["InferenceTypes", "EngineSupport", "CRKNN"],
            swiftSettings: strictSettings),
        .target(
            name: "RKLLMEngine",
            dependencies: [
                "InferenceTypes", "EngineSupport", "CRKLLM", "OrderedJSON", "ImageCodec", "RKNNVision",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Runner",
            dependencies: [
                "InferenceTypes", "EngineSupport", "OrderedJSON", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DialectSupport",
            dependencies: [
                "InferenceCore", "InferenceTypes", "OrderedJSON", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OpenAIAPI",
            dependencies: [
                "InferenceCore", "InferenceTypes", "DialectSupport", "OrderedJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OllamaAPI",
            dependencies: [
                "InferenceCore", "InferenceTypes", "DialectSupport", "OrderedJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AnthropicAPI",
            dependencies: [
                "InferenceCore", "InferenceTypes", "DialectSupport", "OrderedJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "InferenceCore", "InferenceTypes", "EngineSupport", "GGUF", "ModelStore", "OrderedJSON", "Runner",
                "LlamaEngine", "RKLLMEngine", "DialectSupport", "OpenAIAPI",
                "OllamaAPI", "AnthropicAPI", "ModelDownload",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ModelDownload",
            dependencies: [
                "InferenceCore", "InferenceTypes", "EngineSupport", "ModelStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The bench's pure parts: statistics, the Markdown and JSON reports, the SVG chart of the sweep.
        .target(name: "BenchReporting", swiftSettings: strictSettings),
        .executableTarget(
            name: "rockchip-llama",
            dependencies: [
                "Server", "BenchReporting", "InferenceCore", "InferenceTypes", "EngineSupport", "OrderedJSON",
                "LlamaEngine", "ImageCodec",
                "RKLLMEngine", "ModelDownload",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: releaseLinkerSettings
        ),
        .target(name: "CTaskCounter", path: "Tests/CTaskCounter"),
        .target(
            name: "TestSupport",
            dependencies: [
                "InferenceTypes", "EngineSupport", "ModelStore", "InferenceCore", "LlamaEngine", "RKLLMEngine",
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "BenchReportingTests", dependencies: ["BenchReporting"], swiftSettings: strictSettings),
        .testTarget(name: "OrderedJSONTests", dependencies: ["OrderedJSON"], swiftSettings: strictSettings),
        .testTarget(
            name: "ImageCodecTests", dependencies: ["ImageCodec"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "InferenceCoreTests",
            dependencies: [
                "InferenceCore", "InferenceTypes", "EngineSupport", "Conversation", "OrderedJSON", "TestSupport",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "EngineSupportTests", dependencies: ["EngineSupport", "InferenceTypes"], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GGUFTests", dependencies: ["GGUF", "EngineSupport", "InferenceTypes", "OrderedJSON", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SchemaGrammarTests",
            dependencies: ["SchemaGrammar", "InferenceTypes", "OrderedJSON", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ModelStoreTests",
            dependencies: ["ModelStore", "InferenceTypes", "EngineSupport", "GGUF", "OrderedJSON", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ConversationTests",
            dependencies: ["Conversation", "InferenceCore", "InferenceTypes", "SchemaGrammar", "OrderedJSON", "Jinja"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "JinjaTests", dependencies: ["Jinja", "OrderedJSON"], exclude: ["Fixtures", "Oracle"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "LlamaEngineTests",
            dependencies: [
                "LlamaEngine", "InferenceTypes", "EngineSupport", "ModelStore", "SchemaGrammar", "Conversation",
                "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RKNNVisionTests", dependencies: ["RKNNVision", "CRKNN", "InferenceTypes", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "RKLLMEngineTests",
            dependencies: [
                "RKLLMEngine", "InferenceTypes", "EngineSupport", "ModelStore", "InferenceCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OllamaAPITests",
            dependencies: [
                "OllamaAPI", "InferenceCore", "InferenceTypes", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OpenAIAPITests",
            dependencies: [
                "OpenAIAPI", "InferenceCore", "InferenceTypes", "DialectSupport", "OrderedJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AnthropicAPITests",
            dependencies: [
                "AnthropicAPI", "InferenceCore", "InferenceTypes", "OrderedJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ModelDownloadTests",
            dependencies: [
                "ModelDownload", "InferenceCore", "InferenceTypes",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunnerTests",
            dependencies: [
                "Runner", "InferenceTypes", "EngineSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "InferenceCore", "InferenceTypes", "EngineSupport", "ModelStore", "TestSupport", "OllamaAPI",
                "CTaskCounter", "Runner",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
