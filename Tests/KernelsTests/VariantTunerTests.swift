import Foundation
import Kernels
import Runtime
import Testing

/// `VariantTuner` and `TuningCache`: tuning picks a table no slower than the defaults, and the
/// stored winners reach engines made with the cache (the environment still overriding them).
@Suite(.serialized)
struct VariantTunerTests {
    static func device() -> OpenCLDevice? {
        let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all())
        if device == nil && TestEngines.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
        return device
    }

    /// The catalog's `conv2d`, timed on two of its small parity cases instead of the full-size ones.
    static func smallConvolution() throws -> OpDefinition {
        let conv = try #require(OpCatalog.all.first { $0.name == "conv2d" })
        return OpDefinition(name: conv.name, inputs: conv.inputs, optionalInputs: conv.optionalInputs, parameters: conv.parameters,
                            tolerance: conv.tolerance, cases: conv.cases, profileCases: Array(conv.cases.prefix(2)), cost: conv.cost, run: conv.run)
    }

    @Test("tuning times the defaults and every candidate, keeps the fastest, and restores the engine")
    func tunesAndRestores() throws {
        guard let device = Self.device() else { return }
        let engine = try Engine.opencl(device, environment: [:])
        let before = engine.variants
        let result = try VariantTuner.tune(engine: engine, ops: [try Self.smallConvolution()], repeats: 1, deadline: .distantFuture)
        #expect(engine.variants == before)
        #expect(result.trials.first?.change == "defaults")
        #expect(result.trials.count >= 4, "\(result.trials.map(\.change))")
        #expect(result.tunedMilliseconds <= result.defaultMilliseconds)
        let timed = result.trials.compactMap(\.milliseconds)
        // No trial beat the chosen table by more than the margin a candidate needs to win.
        #expect(timed.allSatisfy { $0 >= (1 - VariantTuner.minimumGain) * result.tunedMilliseconds * 0.999999 }, "\(timed)")
        // A spent budget times only the defaults.
        let hurried = try VariantTuner.tune(engine: engine, ops: [try Self.smallConvolution()], repeats: 1, deadline: .distantPast)
        #expect(hurried.trials.dropFirst().allSatisfy { $0.milliseconds == nil && $0.note?.contains("budget") == true })
        #expect(hurried.chosen == before)
    }

    @Test("stored winners are used by engines given the cache; PORTRAIT_VARIANTS still wins; a damaged file is ignored")
    func cacheRoundTrip() throws {
        guard let device = Self.device() else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-tuning-\(UUID().uuidString)")
        let cache = TuningCache(folder: folder)
        #expect(cache.entry(for: device) == nil)
        let defaults = KernelVariants.defaults(for: device)
        let other = defaults.convolutionTile == .tile8x8 ? "16x6" : "8x8"
        let entry = TuningCache.Entry(device: device.name, driver: device.driverVersion, overrides: "conv.tile=\(other)",
                                      defaultMilliseconds: 2, tunedMilliseconds: 1, date: "2026-12-01T00:00:00Z")
        let file = try cache.store(entry, for: device)
        #expect(cache.entry(for: device) == entry)
        let tuned = try Engine.opencl(device, tuning: cache, environment: [:])
        #expect(tuned.variants.convolutionTile.rawValue == other)
        let overridden = try Engine.opencl(device, tuning: cache, environment: ["PORTRAIT_VARIANTS": "conv.tile=16x16"])
        #expect(overridden.variants.convolutionTile.rawValue == "16x16")
        #expect(try Engine.opencl(device, environment: [:]).variants == defaults, "no cache given: the defaults")
        try Data("{not json".utf8).write(to: file)
        #expect(cache.entry(for: device) == nil)
        #expect(try Engine.opencl(device, tuning: cache, environment: [:]).variants == defaults)
        try? FileManager.default.removeItem(at: folder)
    }
}
