import ArgumentParser
import Foundation
import Kernels
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

    @Option(name: .customLong("eye-retargeting"), help: ArgumentHelp("LivePortrait: eye retargeting (the official flag_eye_retargeting): auto measures the source's and each driving frame's eye open ratios from their dense landmarks (MediaPipe FaceMesh + iris), as the official pipeline does from its landmark model; or give the ratios SOURCE_LEFT,SOURCE_RIGHT,TARGET (e.g. 0.31,0.30,0.10 closes the eyes).", valueName: "auto|l,r,t"))
    var eyeRetargeting: String?

    @Option(name: .customLong("lip-retargeting"), help: ArgumentHelp("LivePortrait: lip retargeting (flag_lip_retargeting): auto measures the source's and each driving frame's lip open ratio from their landmarks; or give SOURCE,TARGET (e.g. 0.05,0.40 opens the mouth).", valueName: "auto|s,t"))
    var lipRetargeting: String?

    @Flag(name: .customLong("normalize-lip"), help: "LivePortrait: the official flag_normalize_lip: with relative motion and no eye or lip retargeting, close the source's mouth before animating when its lip open ratio (measured from its landmarks) is 0.03 or more.")
    var normalizeLip = false

    @Flag(name: .customLong("source-video-eye-retargeting"), help: "LivePortrait video-to-video: the official flag_source_video_eye_retargeting: hold every source frame's eye opening to the first source frame's (0.39 when those eyes are closed), measured from the landmarks, with no eye or lip retargeting.")
    var sourceVideoEyeRetargeting = false

    /// The options set away from their defaults, by flag name (empty when none is).
    var given: [String] {
        [("--absolute-motion", absoluteMotion), ("--region", region != .all), ("--no-stitching", noStitching),
         ("--no-expression-friendly", noExpressionFriendly), ("--driving-multiplier", drivingMultiplier != 1),
         ("--eye-retargeting", eyeRetargeting != nil), ("--lip-retargeting", lipRetargeting != nil), ("--normalize-lip", normalizeLip),
         ("--source-video-eye-retargeting", sourceVideoEyeRetargeting)].filter(\.1).map(\.0)
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
        if let eyeRetargeting, !Self.isAuto(eyeRetargeting) {
            let r = try Self.ratios(eyeRetargeting, count: 3, option: "--eye-retargeting")
            o.eyeRetargeting = EyeRatios(sourceLeft: r[0], sourceRight: r[1], driving: r[2])
        }
        if let lipRetargeting, !Self.isAuto(lipRetargeting) {
            let r = try Self.ratios(lipRetargeting, count: 2, option: "--lip-retargeting")
            o.lipRetargeting = LipRatios(source: r[0], driving: r[1])
        }
        return o
    }

    /// What has to be measured from landmarks: `auto` retargeting, normalize lip, source-video eyes.
    var measured: MeasuredRetargeting {
        MeasuredRetargeting(eyes: eyeRetargeting.map(Self.isAuto) ?? false, lip: lipRetargeting.map(Self.isAuto) ?? false,
                            normalizeLip: normalizeLip, sourceVideoEyes: sourceVideoEyeRetargeting)
    }

    /// Whether a retargeting value asks for measured ratios.
    static func isAuto(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespaces).lowercased() == "auto" }

    /// `count` comma-separated ratios in [0, 2].
    static func ratios(_ text: String, count: Int, option: String) throws -> [Float] {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == count, let r = values as? [Float], r.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 2 }) else {
            throw ValidationError("\(option) expects \(count) comma-separated ratios between 0 and 2 (or auto: measured from landmarks), got '\(text)'")
        }
        return r
    }
}

/// The LivePortrait ratios the render measures from dense landmarks (`LivePortraitCLIOptions.measured`).
struct MeasuredRetargeting: Equatable, Sendable {
    /// `--eye-retargeting auto`: the source's two eye ratios and each driving frame's.
    var eyes = false
    /// `--lip-retargeting auto`: the source's lip ratio and each driving frame's.
    var lip = false
    /// `--normalize-lip`: the source's lip ratio.
    var normalizeLip = false
    /// `--source-video-eye-retargeting`: each source frame's eye ratios.
    var sourceVideoEyes = false

    /// Whether any ratio is measured (a landmarker is needed).
    var any: Bool { eyes || lip || normalizeLip || sourceVideoEyes }
    /// Whether each driving frame's ratios are measured.
    var driving: Bool { eyes || lip }
}

extension MeasuredRetargeting {
    /// The flags that ask for measured ratios, for messages.
    var flags: [String] {
        [("--eye-retargeting auto", eyes), ("--lip-retargeting auto", lip), ("--normalize-lip", normalizeLip),
         ("--source-video-eye-retargeting", sourceVideoEyes)].filter(\.1).map(\.0)
    }
}

#if !canImport(Media)
extension LivePortraitCLIOptions {
    /// The compute-only build has no landmark networks: flags that measure ratios are refused.
    func measurer(engine: Engine) throws -> RetargetingMeasurer? {
        guard !measured.any else {
            throw ValidationError("\(measured.flags.joined(separator: ", ")) measure landmarks, which this compute-only build leaves out; give the ratios as numbers")
        }
        return nil
    }
}
#endif
