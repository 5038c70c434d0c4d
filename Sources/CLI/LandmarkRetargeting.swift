#if canImport(Media)
import ArgumentParser
import Face
import FaceMesh
import Kernels
import LivePortrait
import Runtime

/// `RetargetingMeasurer` from MediaPipe's dense landmarks (FaceMesh + iris on our kernels): the
/// ratios LivePortrait's official pipeline computes from its 203-point model
/// (`RetargetingRatios`), measured on the framed pictures the network sees (ratios of distances,
/// so the crop's scale does not change them).
final class LandmarkRetargeting: RetargetingMeasurer {
    let measured: MeasuredRetargeting
    private let landmarker: DenseLandmarker
    private var source: RetargetingRatios?
    /// Video-to-video: the eye ratio the first source frame sets (`--source-video-eye-retargeting`).
    private var firstEyeTarget: Float?

    /// Measures what `measured` asks for with the landmark networks on `engine`.
    init(measured: MeasuredRetargeting, engine: Engine) throws {
        self.measured = measured
        landmarker = try DenseLandmarker(engine: engine)
    }

    var measuresDrivingFrames: Bool { measured.driving }

    /// The ratios of the largest face in `image`; throws a `ValidationError` naming `role` when
    /// there is none.
    func ratios(of image: Tensor, role: String) throws -> RetargetingRatios {
        let faces = try landmarker.find(in: image, options: DenseLandmarkOptions(refineEyes: true))
        guard let face = faces.max(by: { $0.detection.width * $0.detection.height < $1.detection.width * $1.detection.height }) else {
            throw ValidationError("\(measured.flags.joined(separator: ", ")): no face found in the \(role)'s crop to measure its eye and lip opening; give the ratios as numbers or frame the face (--crop)")
        }
        return try face.retargetingRatios()
    }

    func measureSource(_ image: Tensor) throws { source = try ratios(of: image, role: "source") }

    func forgetSource() { source = nil }

    func clipOptions(_ base: LivePortraitOptions) throws -> LivePortraitOptions {
        if measured.sourceVideoEyes {
            throw ValidationError("--source-video-eye-retargeting holds a source video's eyes to its first frame's; the source is a picture (drop the flag, or give a video as --source)")
        }
        guard let source else {
            throw ValidationError("\(measured.flags.joined(separator: ", ")) measure\(measured.flags.count == 1 ? "s" : "") the source picture's landmarks; a saved source file has none: render from the source picture")
        }
        var options = base
        if measured.normalizeLip { options.normalizeLip = source.lip }
        return options
    }

    func frameOptions(_ base: LivePortraitOptions, driver: Tensor) throws -> LivePortraitOptions {
        guard measured.driving, let source else { return base }
        var options = base
        measured.apply(source: source, driving: try ratios(of: driver, role: "driving frame"), to: &options)
        return options
    }
}

extension LandmarkRetargeting {
    /// Video-to-video: the options of source frame `index` (frames in order from 0), measured on
    /// its framed picture `frame`; `driving` is the driving frame's ratios (needed with auto
    /// retargeting). `--source-video-eye-retargeting` holds each frame to the first frame's mean
    /// eye ratio (`LivePortraitOptions.sourceEyeTarget`).
    func sourceVideoOptions(_ base: LivePortraitOptions, frame: Tensor, index: Int, driving: RetargetingRatios?) throws -> LivePortraitOptions {
        let s = try ratios(of: frame, role: "source frame \(index)")
        if index == 0 { firstEyeTarget = LivePortraitOptions.sourceEyeTarget(firstLeft: s.leftEye, firstRight: s.rightEye) }
        var options = base
        if measured.normalizeLip { options.normalizeLip = s.lip }
        if measured.sourceVideoEyes, let target = firstEyeTarget {
            options.sourceEyeRetargeting = EyeRatios(sourceLeft: s.leftEye, sourceRight: s.rightEye, driving: target)
        }
        if measured.driving {
            guard let driving else { throw ValidationError("\(measured.flags.joined(separator: ", ")): the driving frame \(index) has no measured ratios (a motion file carries none): give the ratios as numbers") }
            measured.apply(source: s, driving: driving, to: &options)
        }
        return options
    }
}

extension LivePortraitCLIOptions {
    /// What measures the ratios the flags ask for from landmarks (nil when none is asked for).
    func measurer(engine: Engine) throws -> RetargetingMeasurer? {
        measured.any ? try LandmarkRetargeting(measured: measured, engine: engine) : nil
    }
}

extension MeasuredRetargeting {
    /// Sets `options`' auto retargeting from the source's and a driving frame's ratios: the
    /// source's two eye ratios with the driving frame's image-left eye ratio (the official
    /// `calc_combined_eye_ratio` takes `c_d_eyes_i[0][0]`), and the two lip ratios.
    func apply(source s: RetargetingRatios, driving d: RetargetingRatios, to options: inout LivePortraitOptions) {
        if eyes { options.eyeRetargeting = EyeRatios(sourceLeft: s.leftEye, sourceRight: s.rightEye, driving: d.leftEye) }
        if lip { options.lipRetargeting = LipRatios(source: s.lip, driving: d.lip) }
    }
}
#endif
