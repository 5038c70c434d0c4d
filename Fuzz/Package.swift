// swift-tools-version: 6.0
// libFuzzer targets for PortraitCL's parsers of untrusted input. Outside the main package because
// `-sanitize=fuzzer` replaces `main` and would break `swift test` there; build with scripts/fuzz.sh.
import PackageDescription

/// One executable per parser, named after its `FuzzTarget` case.
let targets = ["safetensors", "avatar", "config", "pose-csv", "image", "video"]

let package = Package(
    name: "PortraitFuzz",
    dependencies: [.package(name: "PortraitCL", path: "..")],
    targets: [
        .target(name: "FuzzHarness", dependencies: [.product(name: "FuzzTargets", package: "PortraitCL")]),
    ] + targets.map { name in
        .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzHarness"], path: "Sources/fuzz-\(name)")
    },
    swiftLanguageModes: [.v6]
)
