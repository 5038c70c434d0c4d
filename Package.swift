// swift-tools-version: 6.0
// PortraitCL: MegaPortraits-style neural head avatars on OpenCL, with a pure-Swift CPU fallback.
import PackageDescription

// PORTRAIT_COMPUTE_ONLY=1 builds the CLI without the Media, Face and FaceMesh modules (no libpng/libav*), for
// carrying a small self-contained binary to a GPU machine (scripts/make-gpu-bundle.sh).
let computeOnly = Context.environment["PORTRAIT_COMPUTE_ONLY"] == "1"
let cliMedia: [Target.Dependency] = computeOnly ? [] : ["Media", "Face", "FaceMesh"]

let package = Package(
    name: "PortraitCL",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "portrait", targets: ["CLI"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "NetworkCore", targets: ["NetworkCore"]),
        .library(name: "Avatar", targets: ["Avatar"]),
        .library(name: "LivePortrait", targets: ["LivePortrait"]),
        .library(name: "PortraitKit", targets: ["PortraitKit"]),
        // libportraitcl.so: the C API (include/portraitcl.h) over PortraitKit.
        .library(name: "portraitcl", type: .dynamic, targets: ["PortraitCAPI"]),
        .library(name: "Media", targets: ["Media"]),
        .library(name: "FaceParsing", targets: ["FaceParsing"]),
        .library(name: "FewShot", targets: ["FewShot"]),
        .library(name: "Disclosure", targets: ["Disclosure"]),
        .library(name: "Face", targets: ["Face"]),
        .library(name: "FaceMesh", targets: ["FaceMesh"]),
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System-library shims: one module map and one header each.
        .systemLibrary(name: "COpenCL", pkgConfig: "OpenCL",
                       providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev",
                                         "libswscale-dev", "libswresample-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CMalloc"),   // the C library's mallopt (glibc), no package

        // Libraries, lowest first: Runtime <- Kernels <- NetworkCore <- Avatar (MegaPortraits);
        // Media stands alone.
        .target(name: "Runtime", dependencies: ["COpenCL", "CMalloc"]),
        .target(name: "Kernels", dependencies: ["Runtime", "CBLAS"],
                resources: [.embedInCode("Kernels.cl")]),
        // What every network is made of: parameters, layers, weights checking, stage recording.
        .target(name: "NetworkCore", dependencies: ["Kernels", "Runtime"]),
        .target(name: "Avatar", dependencies: ["NetworkCore", "Kernels", "Runtime"],
                resources: [.embedInCode("Presets/tiny.json"), .embedInCode("Presets/megaportraits-512.json"),
                            .embedInCode("Presets/emoportraits-512.json")]),
        // LivePortrait (KwaiVGI): its five networks and keypoint algebra on the same engine.
        .target(name: "LivePortrait", dependencies: ["NetworkCore", "Kernels", "Runtime"],
                resources: [.embedInCode("Presets/liveportrait.json"), .embedInCode("Presets/liveportrait-tiny.json")]),
        // The library front door: the registry of network families and `PortraitSession`.
        .target(name: "PortraitKit", dependencies: ["Avatar", "LivePortrait", "NetworkCore", "Kernels", "Runtime"]),
        // The C API's @_cdecl exports (include/portraitcl.h); Media and Face for pictures and faces,
        // Disclosure for the watermark its frames carry by default.
        .target(name: "PortraitCAPI", dependencies: ["PortraitKit", "NetworkCore", "Kernels", "Runtime", "Media", "Face", "Disclosure"]),
        .target(name: "Media", dependencies: ["CPNG", "CFFmpeg"]),
        // BiSeNet face parsing (the EMOPortraits source mask) on the same kernels.
        .target(name: "FaceParsing", dependencies: ["NetworkCore", "Kernels", "Runtime"]),
        // The few-shot talking heads (Zakharov et al. 2019): K photos + landmark images.
        .target(name: "FewShot", dependencies: ["NetworkCore", "Kernels", "Runtime"]),
        // The invisible watermark (embedded on Kernels' Engine) and what `verify` reports.
        .target(name: "Disclosure", dependencies: ["Kernels", "Runtime"]),
        // YuNet face detection (libfacedetection's trained weights) on the same kernels. The weights
        // sit in a target of their own so their 223 kB literal compiles once.
        .target(name: "YuNetWeights", exclude: ["LICENSE-libfacedetection", "README.md"],
                resources: [.embedInCode("yunet-libfacedetection.safetensors")]),
        .target(name: "Face", dependencies: ["NetworkCore", "Kernels", "Runtime", "YuNetWeights"]),
        // MediaPipe's BlazeFace, FaceMesh and iris networks (Apache-2.0, converted by
        // reference/convert_mediapipe.py) and the pipeline that runs them. The weights are embedded
        // by a C target (#embed): a Swift literal of their size does not type-check.
        .target(name: "CFaceMeshWeights", exclude: ["LICENSE-mediapipe", "README.md", "blazeface-short-range.safetensors",
                                                    "facemesh.safetensors", "iris.safetensors"]),
        .target(name: "FaceMesh", dependencies: ["Face", "Kernels", "Runtime", "CFaceMeshWeights"]),
        // The parsers of untrusted input behind one entry point: the libFuzzer targets (Fuzz/) and
        // the corpus replay test drive the same code.
        .target(name: "FuzzTargets", dependencies: ["Avatar", "Media", "Runtime"]),
        .executableTarget(name: "CLI", dependencies: [
            "Avatar", "LivePortrait", "NetworkCore", "PortraitKit", "FaceParsing", "Kernels", "Runtime", "Disclosure",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + cliMedia),

        .target(name: "TestHelpers", dependencies: ["Kernels", "Runtime"], path: "Tests/TestHelpers"),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Runtime"]),
        .testTarget(name: "CLITests", dependencies: ["Runtime", "Media", "Disclosure", "Kernels", "Face", "LivePortrait"]),
        .testTarget(name: "AvatarTests", dependencies: ["Avatar", "Kernels", "Runtime", "TestHelpers"]),
        .testTarget(name: "LivePortraitTests", dependencies: ["LivePortrait", "NetworkCore", "Kernels", "Runtime"]),
        .testTarget(name: "PortraitKitTests", dependencies: ["PortraitKit", "NetworkCore", "Kernels", "Runtime"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Runtime"]),
        .testTarget(name: "FaceParsingTests", dependencies: ["FaceParsing", "Kernels", "Runtime", "TestHelpers"]),
        .testTarget(name: "DisclosureTests", dependencies: ["Disclosure", "Kernels", "Runtime", "Media"]),
        .testTarget(name: "FewShotTests", dependencies: ["FewShot", "NetworkCore", "Kernels", "Runtime", "Media", "TestHelpers"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "FaceTests", dependencies: ["Face", "Kernels", "Runtime", "Media", "YuNetWeights", "TestHelpers"]),
        .testTarget(name: "FaceMeshTests", dependencies: ["FaceMesh", "Face", "Kernels", "Runtime", "Media", "TestHelpers"]),
    ],
    swiftLanguageModes: [.v6]
)
