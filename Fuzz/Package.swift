// swift-tools-version: 6.2
import PackageDescription

/// Fuzz targets for the parsers of untrusted input, one libFuzzer executable each.
///
/// They have no `main`: build them with libFuzzer's, through `make fuzz` (which passes
/// `--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`), never with a bare `swift build`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "rockchip-llama-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "rockchip-llama", path: "..")
    ],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzGGUF",
            dependencies: [
                "FuzzSupport", .product(name: "GGUF", package: "rockchip-llama"),
                .product(name: "InferenceTypes", package: "rockchip-llama"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzJinja",
            dependencies: [
                "FuzzSupport", .product(name: "Jinja", package: "rockchip-llama"),
                .product(name: "OrderedJSON", package: "rockchip-llama"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzJSONSchema",
            dependencies: [
                "FuzzSupport", .product(name: "SchemaGrammar", package: "rockchip-llama"),
                .product(name: "InferenceTypes", package: "rockchip-llama"),
                .product(name: "OrderedJSON", package: "rockchip-llama"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzImage",
            dependencies: ["FuzzSupport", .product(name: "ImageCodec", package: "rockchip-llama")],
            swiftSettings: strictSettings
        ),
    ]
)
