import ArgumentParser
import Foundation
import LivePortrait

extension AnimationRegion: ExpressibleByArgument {}

/// The LivePortrait per-frame options (`render --model liveportrait`), the official CLI's flags
/// with the official defaults. They are checked when the network is made (`options()`, so a bad
/// value is a `portrait: error:` with exit status 2 like every other error), and refused with a
/// MegaPortraits network (`given`).
struct LivePortraitCLIOptions: ParsableArguments {
    @Flag(name: .customLong("absolute-motion"), help: "LivePortrait: drive with the driver's absolute pose and expression instead of its motion relative to the first frame.")
    var absoluteMotion = false

    @Option(help: "LivePortrait: which part of the driving motion moves the source.")
    var region: AnimationRegion = .all

    @Flag(name: .customLong("no-stitching"), help: "LivePortrait: skip the stitching MLP (shoulders may then drift at the crop's edge).")
    var noStitching = false

    @Flag(name: .customLong("no-expression-friendly"), help: "LivePortrait: skip the expression-friendly rescale of the driving keypoints.")
    var noExpressionFriendly = false

    @Option(name: .customLong("driving-multiplier"), help: "LivePortrait: scale of the driving motion (1 = as driven).")
    var drivingMultiplier = 1.0

    @Option(name: .customLong("eye-retargeting"), help: "LivePortrait: eye retargeting with open ratios SOURCE_LEFT,SOURCE_RIGHT,TARGET (e.g. 0.31,0.30,0.10 closes the eyes); the engine has no 203-point landmark model, so give the source's ratios.")
    var eyeRetargeting: String?

    @Option(name: .customLong("lip-retargeting"), help: "LivePortrait: lip retargeting with open ratios SOURCE,TARGET (e.g. 0.05,0.40 opens the mouth).")
    var lipRetargeting: String?

    /// The options set away from their defaults, by flag name (empty when none is).
    var given: [String] {
        [("--absolute-motion", absoluteMotion), ("--region", region != .all), ("--no-stitching", noStitching),
         ("--no-expression-friendly", noExpressionFriendly), ("--driving-multiplier", drivingMultiplier != 1),
         ("--eye-retargeting", eyeRetargeting != nil), ("--lip-retargeting", lipRetargeting != nil)].filter(\.1).map(\.0)
    }

    /// The network's options; throws a `ValidationError` naming the flag for a bad value.
    func options() throws -> LivePortraitOptions {
        guard drivingMultiplier.isFinite, drivingMultiplier >= 0 else { throw ValidationError("--driving-multiplier must be a finite value ≥ 0") }
        var o = LivePortraitOptions()
        o.relativeMotion = !absoluteMotion
        o.region = region
        o.stitching = !noStitching
        o.expressionFriendly = !noExpressionFriendly
        o.drivingMultiplier = drivingMultiplier
        if let eyeRetargeting {
            let r = try Self.ratios(eyeRetargeting, count: 3, option: "--eye-retargeting")
            o.eyeRetargeting = EyeRatios(sourceLeft: r[0], sourceRight: r[1], driving: r[2])
        }
        if let lipRetargeting {
            let r = try Self.ratios(lipRetargeting, count: 2, option: "--lip-retargeting")
            o.lipRetargeting = LipRatios(source: r[0], driving: r[1])
        }
        return o
    }

    /// `count` comma-separated ratios in [0, 2].
    static func ratios(_ text: String, count: Int, option: String) throws -> [Float] {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == count, let r = values as? [Float], r.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 2 }) else {
            throw ValidationError("\(option) expects \(count) comma-separated ratios between 0 and 2, got '\(text)'")
        }
        return r
    }
}
