import FewShot
import Foundation
import Kernels
import NetworkCore
import Runtime
import Testing

/// The full-size check against the public implementation (docs/fewshot.md, "Parity"): run
/// check_public.py (a harness kept outside the repository) on a random public-layout checkpoint, then point
/// FEWSHOT_PUBLIC_IO at its output and FEWSHOT_PUBLIC_WEIGHTS at the conversion. Every stage
/// must be within 1e-3 of the public code's (max |Δ| / max |public|), the image ≥ 50 dB.
/// FEWSHOT_PUBLIC_DEVICE=opencl runs it on the OpenCL engine instead of the CPU.
struct PublicParityTests {
    static let environment = ProcessInfo.processInfo.environment
    static let enabled = environment["FEWSHOT_PUBLIC_IO"] != nil && environment["FEWSHOT_PUBLIC_WEIGHTS"] != nil

    @Test("full-size stages match the public implementation", .enabled(if: enabled))
    func fullSize() throws {
        let io = try SafeTensorsFile(path: try #require(Self.environment["FEWSHOT_PUBLIC_IO"])).allTensors()
        let engine: Engine
        if Self.environment["FEWSHOT_PUBLIC_DEVICE"] == "opencl" {
            engine = try #require(Support.opencl, "no OpenCL device")
        } else {
            engine = Support.cpu
        }
        let network = try FewShotNetwork(weights: try #require(Self.environment["FEWSHOT_PUBLIC_WEIGHTS"]), engine: engine)
        let recorder = StageRecorder()
        let start = Date()
        let (_, image) = try network.networkOrientationPasses(
            images: try #require(io["input.images"]), landmarks: try #require(io["input.landmarks"]),
            driver: try #require(io["input.driver"]), recorder: recorder)
        try recorder.record(name: "image", tensor: image, engine: engine)
        print("FewShot public parity on \(engine.name): both passes \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        var worst: Float = 0
        for name in io.keys.filter({ $0.hasPrefix("public.") }).sorted() {
            let stage = String(name.dropFirst("public.".count))
            let expected = try #require(io[name])
            let actual = try #require(recorder[stage], "stage \(stage) was not recorded")
            #expect(actual.shape == expected.shape, "\(stage): \(actual.shape) vs \(expected.shape)")
            let error = Support.maxRelative(actual.hostValues!, expected.hostValues!)
            worst = max(worst, error)
            print("  \(stage) \(expected.shape): max relative \(String(format: "%.2e", error))")
            #expect(error <= 1e-3, "\(stage): max relative error \(error)")
        }
        let psnr = Support.psnr(try engine.values(image), try #require(io["public.image"]).hostValues!)
        print("FewShot public parity: worst stage \(String(format: "%.2e", worst)), image PSNR \(String(format: "%.1f", psnr)) dB")
        #expect(psnr >= 50)
    }
}
