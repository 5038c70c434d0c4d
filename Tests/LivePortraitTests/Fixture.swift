import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime

/// The goldens of Tests/Fixtures/liveportrait (the official code's stage outputs at the tiny
/// config) and a run of the Swift network on the same inputs, recording every stage.
struct LPFixture {
    let io: SafeTensorsFile
    let source: Tensor
    let drivers: [Tensor]
    let eye: EyeRatios
    let lip: LipRatios

    init() throws {
        let file = try SafeTensorsFile(path: LPTestSupport.ioPath)
        io = file
        source = try Self.image(file, "input.source", index: 0)
        drivers = try (0..<2).map { try Self.image(file, "input.drivers", index: $0) }
        let e = try file.tensor("input.eye_ratio").hostValues!, l = try file.tensor("input.lip_ratio").hostValues!
        eye = EyeRatios(sourceLeft: e[0], sourceRight: e[1], driving: e[2])
        lip = LipRatios(source: l[0], driving: l[1])
    }

    /// Golden stage names (everything but the inputs).
    var stageNames: [String] { io.names.filter { !$0.hasPrefix("input.") } }

    /// Image `index` of the uint8 tensor `name` `[N, 3, H, W]` as floats `value / 255`
    /// (SafeTensorsFile converts float dtypes only, so the bytes are read here).
    static func image(_ file: SafeTensorsFile, _ name: String, index: Int) throws -> Tensor {
        guard let entry = file.entries[name], entry.dtype == "U8", entry.shape.count == 4 else {
            throw RuntimeError.shapeMismatch("\(name): expected a U8 [N, 3, H, W] tensor")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: file.path), options: .alwaysMapped)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let plane = entry.shape[1] * entry.shape[2] * entry.shape[3]
        let start = 8 + headerLength + entry.range.lowerBound + index * plane
        let values = data[start..<start + plane].map { Float($0) / 255 }
        return Tensor(shape: [1] + Array(entry.shape.dropFirst()), values: values)
    }

    /// Runs the fixture's inputs through the Swift network on `engine` (the fixture weights,
    /// loaded strictly), recording every golden stage: the source, both drivers, frames 0 and 1
    /// with the default options (frame 1 rendered), and eye + lip retargeting on frame 1.
    func run(on engine: Engine) throws -> StageRecorder {
        let network = try LPTestSupport.network(on: engine)
        let recorder = StageRecorder()
        let s = try network.makeSource(image: source, recorder: recorder)
        let motions = try drivers.enumerated().map { try network.motion(of: $0.element, recorder: recorder, recordAs: "driver.\($0.offset)") }
        _ = try network.drivingKeypoints(source: s, driverMotion: motions[0], firstDriverMotion: motions[0], recorder: recorder, recordAs: "frame.0")
        _ = try network.renderFrame(source: s, driverMotion: motions[1], firstDriverMotion: motions[0], recorder: recorder, recordAs: "frame.1")
        var options = LivePortraitOptions()
        options.eyeRetargeting = eye
        options.lipRetargeting = lip
        _ = try network.drivingKeypoints(source: s, driverMotion: motions[1], firstDriverMotion: motions[0], options: options,
                                         recorder: recorder, recordAs: "retarget")
        return recorder
    }

    /// ‖ours − golden‖ / ‖golden‖ for every golden stage (pose angles relative to max(|angle|,
    /// 97.5°): the official `3·E[bin] − 97.5` cancels two ~100° terms in float32, docs §8), plus
    /// the image PSNR; missing or mis-shaped stages are listed as failures.
    func compare(_ recorder: StageRecorder) throws -> (errors: [(String, Double)], failures: [String], psnr: Double) {
        var errors: [(String, Double)] = [], failures: [String] = []
        var psnr = -Double.infinity
        for name in stageNames {
            let golden = try io.tensor(name)
            guard let ours = recorder[name] else { failures.append("\(name): not recorded"); continue }
            guard ours.shape == golden.shape else { failures.append("\(name): shape \(ours.shape) vs \(golden.shape)"); continue }
            let (a, b) = (ours.hostValues!, golden.hostValues!)
            let c = Comparison(actual: a, reference: b, tolerance: Tolerance(absolute: 0, relative: 0))
            var error = c.relativeError
            if ["pitch", "yaw", "roll"].contains(where: { name.hasSuffix("." + $0) }) {
                error = Double(abs(a[0] - b[0])) / max(Double(abs(b[0])), 97.5)
            }
            if name.hasSuffix(".image") { psnr = c.psnr(peak: 1) }
            errors.append((name, error))
        }
        return (errors, failures, psnr)
    }
}
