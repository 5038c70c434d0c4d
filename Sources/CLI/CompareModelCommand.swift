import ArgumentParser
import Avatar
import Foundation
import Kernels
import Runtime
#if canImport(Media)
import Media
#endif

/// Options of `portrait compare` without `--ops`: the network on two backends, stage by stage.
struct ModelComparisonOptions: ParsableArguments {
    @Option(help: "Source portrait (default: a synthetic image).")
    var source: String?

    @Option(help: "Driving video or image (default: a synthetic image).")
    var driver: String?

    @Option(help: "Frames of the driving video to compare.")
    var frames = 1

    @Option(help: "Reference backend.")
    var a = "cpu"

    @Option(help: "Backend under test.")
    var b = "opencl"

    @Option(help: "Largest relative L2 error a stage may show (‖a−b‖/‖a‖).")
    var tolerance = 1e-3

    @Option(help: "Smallest PSNR (dB) the final image may show.")
    var minPSNR = 50.0

    @Option(help: "Write the per-pixel |a−b| of the last frame as a heat-map PNG.")
    var heatmap: String?

    @Option(help: "Write backend a's float32 stage outputs (avatar and first frame, with the inputs) to this safetensors file; backend b's are included as b/NAME.")
    var stages: String?

    #if canImport(Media)
    @OptionGroup var input: InputOptions
    @OptionGroup var framing: CropOptions
    #endif
    @OptionGroup var model: ModelOptions
}

/// One stage's agreement.
struct StageAgreement {
    let stage: String
    let frame: Int?
    let shape: [Int]
    let comparison: Comparison
    let passed: Bool
}

extension CompareCommand {
    func runModelComparison() throws {
        let o = modelComparison
        let rows: [StageAgreement] = try reportingErrors {
            // The CPU as reference is the direct one (no Winograd: Engine.cpuReference), like compare --ops.
            let choiceA = try DeviceChoice(parsing: o.a)
            let engineA = choiceA == .cpu ? Engine.cpuReference() : try DeviceOptions.engine(for: choiceA)
            let engineB = try DeviceOptions.engine(for: try DeviceChoice(parsing: o.b))
            let netA = try o.model.makeModel(engine: engineA)
            let netB = try o.model.makeModel(engine: engineB)
            try FewShotFacePoints.shareFacePoints(netA, netB, pictures: (o.source != nil, o.driver != nil), quiet: json)
            if !json { print("Comparing \(netA.configName): \(engineA.name) (a, reference) vs \(engineB.name) (b); \(o.model.weightsDescription)") }
            let (source, mask, drivers) = try comparisonInputs(o, for: netA)
            var rows: [StageAgreement] = []
            var dump = StageDump()
            dump.add(input: "source.image", source)
            dump.add(input: "source.mask", mask)
            let recA = StageRecorder(), recB = StageRecorder()
            let avatarA = try netA.makeSource(source, mask: mask, recorder: recA)
            let avatarB = try netB.makeSource(source, mask: mask, recorder: recB)
            let clipA = try netA.startClip(source: avatarA), clipB = try netB.startClip(source: avatarB)
            rows += agreements(recA, recB, frame: nil, imageStage: netA.imageStage, o)
            dump.add(recA)
            dump.add(recB, prefix: "b/")
            var lastImages: (Tensor, Tensor)?
            for (i, driver) in drivers.enumerated() {
                recA.removeAll(); recB.removeAll()
                let imgA = try engineA.host(try clipA.render(driver: driver, recorder: recA))
                let imgB = try engineB.host(try clipB.render(driver: driver, recorder: recB))
                rows += agreements(recA, recB, frame: i, imageStage: netA.imageStage, o)
                lastImages = (imgA, imgB)
                if i == 0, let stages = o.stages {
                    dump.add(input: "driver.image", driver)
                    dump.add(recA)
                    dump.add(recB, prefix: "b/")
                    try dump.write(to: stages, metadata: ["config": netA.configName, "weights_fingerprint": netA.weightsFingerprint,
                                                          "a": engineA.name, "b": engineB.name])
                    if !json { print("wrote \(dump.count) float32 stage tensors to \(stages)") }
                }
            }
            if let heatmap = o.heatmap, let (x, y) = lastImages { try writeHeatmap(x, y, to: heatmap) }
            return rows
        }
        let failures = rows.filter { !$0.passed }
        if json {
            let objects: [[String: Any]] = rows.map { r in
                var o: [String: Any] = ["stage": r.stage, "shape": r.shape, "max_abs_error": Double(r.comparison.maxAbsoluteError),
                                        "relative_error": r.comparison.relativeError, "passed": r.passed]
                if let f = r.frame { o["frame"] = f }
                if r.stage == "image" { o["psnr_db"] = min(r.comparison.psnr(), 999) }   // 999: identical (JSON has no inf)
                return o
            }
            print(try jsonString(["stages": objects, "passed": failures.isEmpty]))
        } else {
            print(column("stage", 26) + column("frame", 7) + column("shape", 24) + column("max|Δ|", 11, right: true) +
                  column("rel err", 11, right: true) + "  verdict")
            for r in rows {
                let psnr = r.stage == "image" ? String(format: "  PSNR %.1f dB", r.comparison.psnr()) : ""
                print(column(r.stage, 26) + column(r.frame.map(String.init) ?? "-", 7) + column("\(r.shape)", 24) +
                      column(String(format: "%.2e", r.comparison.maxAbsoluteError), 11, right: true) +
                      column(String(format: "%.2e", r.comparison.relativeError), 11, right: true) +
                      "  " + (r.passed ? "pass" : "FAIL") + psnr)
            }
            print("\(rows.count - failures.count)/\(rows.count) stage outputs agree" + (failures.isEmpty ? "" : "; \(failures.count) FAIL"))
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func agreements(_ a: StageRecorder, _ b: StageRecorder, frame: Int?, imageStage: String, _ o: ModelComparisonOptions) -> [StageAgreement] {
        a.order.compactMap { name in
            guard let x = a[name], let y = b[name], x.count == y.count, let xv = x.hostValues, let yv = y.hostValues else { return nil }
            let c = Comparison(actual: yv, reference: xv, tolerance: Tolerance(absolute: .infinity, relative: 0))
            var ok = c.relativeError <= o.tolerance && c.passed
            if name == imageStage { ok = ok && c.psnr() >= o.minPSNR }
            return StageAgreement(stage: name == imageStage ? "image" : name, frame: frame, shape: x.shape, comparison: c, passed: ok)
        }
    }

    private func comparisonInputs(_ o: ModelComparisonOptions, for net: any PortraitModel) throws -> (Tensor, Tensor?, [Tensor]) {
        let size = net.inputSize
        #if canImport(Media)
        let acceptsMask = net.acceptsSourceMask
        let filter = o.input.filter(for: net)
        // Both backends get the same inputs: faces are found once, on the CPU fallback.
        let locator = o.framing.needsDetector(hasSource: o.source != nil, hasDriver: o.driver != nil) ? try FaceLocator(engine: Engine.cpu(), family: o.model.family, detector: o.framing.detector) : nil
        let picture = try o.source.map {
            try SourcePicture(path: $0, size: size, framing: o.framing.source, locator: locator, filter: filter)
        }
        let source = picture.map { FrameConversion.tensor($0.framed) }
        if source == nil && (o.input.sourceMask != nil || o.input.faceParsing != nil) {
            throw ValidationError("--source-mask and --face-parsing need --source (the synthetic default source has no mask)")
        }
        let mask = try source.flatMap { s in
            try o.input.sourceMask(accepted: acceptsMask, for: s, engine: Engine.cpu(), sourceWidth: picture?.width ?? size, sourceHeight: picture?.height ?? size, crop: picture?.crop)
        }
        var drivers: [Tensor] = []
        if let d = o.driver {
            for step in try DriverSource.open(driver: d, size: size, framing: DriverFraming(o.framing, locator: locator, frames: o.frames),
                                                   filter: filter).makeIterator(size: size) {
                if drivers.count >= o.frames { break }
                if case .image(let img) = try step.get().0 { drivers.append(FrameConversion.tensor(img)) }
            }
        }
        #else
        if o.source != nil || o.driver != nil { throw ValidationError("this build has no media support; omit --source/--driver") }
        let source: Tensor? = nil
        let mask: Tensor? = nil
        let drivers: [Tensor] = []
        #endif
        return (source ?? SyntheticInputs.image(size: size, seed: 1), mask,
                drivers.isEmpty ? (0..<o.frames).map { SyntheticInputs.image(size: size, seed: 2 + UInt64($0)) } : drivers)
    }

    private func writeHeatmap(_ a: Tensor, _ b: Tensor, to path: String) throws {
        #if canImport(Media)
        let engine = Engine.cpu()
        try PNGCodec.write(try ErrorHeatmap.render(difference: try FrameConversion.image(a, engine: engine),
                                                   try FrameConversion.image(b, engine: engine)), to: path)
        if !json { print("wrote error heat map \(path)") }
        #else
        throw ValidationError("this build has no media support: --heatmap is unavailable")
        #endif
    }
}

/// Deterministic stand-in images when no source/driver is given: smooth colour gradients plus
/// mild noise, values in [0, 1], shape [1, 3, size, size].
enum SyntheticInputs {
    static func image(size: Int, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        var v = [Float](repeating: 0, count: 3 * size * size)
        let phase = Float(seed % 7) * 0.3
        for c in 0..<3 {
            for y in 0..<size {
                for x in 0..<size {
                    let fx = Float(x) / Float(size), fy = Float(y) / Float(size)
                    let base = 0.5 + 0.35 * sin(6 * fx + Float(c) + phase) * cos(5 * fy - phase)
                    v[(c * size + y) * size + x] = min(max(base + 0.05 * g.uniform(), 0), 1)
                }
            }
        }
        return Tensor(shape: [1, 3, size, size], values: v)
    }
}
