/// LivePortrait's video-to-video motion (`live_portrait_pipeline.py` with a source video): every
/// source frame keeps its own scale and translation; its expression (at the keypoints the
/// official code copies) and its rotation follow per-frame targets built from the source and
/// driving motions and smoothed over time (`utils/filter.py`: pykalman's smoother). No
/// 'expression-friendly' rescale applies to a source video.
public enum SourceVideoMotion {
    /// Per-frame targets: expression `[K · 3]` and rotation `[9]` (row-major, `kp · R`).
    public struct Targets: Sendable, Equatable {
        /// Expression target per frame.
        public var expressions: [[Double]]
        /// Rotation target per frame.
        public var rotations: [[Double]]
        /// Translation per frame for regions all/pose: the source frame's (relative motion) or the
        /// driver's (absolute motion), as the official code takes it.
        public var translations: [[Double]]

        /// Targets from their parts (one entry per frame in each).
        public init(expressions: [[Double]], rotations: [[Double]], translations: [[Double]]) {
            self.expressions = expressions
            self.rotations = rotations
            self.translations = translations
        }
    }

    /// The targets for `source` frames driven by `driver` frames (one frame: a driving picture),
    /// `frames` of them, as the official pipeline builds them: relative motion takes
    /// `δ_s,i + δ_d,i − δ_d,0` and `R_d,i · R_d,0ᵀ · R_s,i` (a picture: `δ_s,i + δ_d − neutral`
    /// and `R_s,i`, unsmoothed), absolute motion `δ_d,i` and `R_d,i`; a driving video's targets are
    /// smoothed with `observationVariance` (`driving_smooth_observation_variance`, 3e-7). A
    /// driving picture in relative mode needs `config`'s neutral expression.
    public static func targets(source: [LivePortraitMotion], driver: [LivePortraitMotion], frames: Int, relative: Bool,
                               config: LivePortraitConfig, observationVariance: Double = 3e-7) throws -> Targets {
        guard frames >= 1, source.count >= frames, !driver.isEmpty else {
            throw LivePortraitError.invalidInput("a source video of \(source.count) and a driver of \(driver.count) frames cannot make \(frames) frames")
        }
        let drivingVideo = driver.count > 1
        let d0 = driver[0]
        var expressions: [[Double]] = [], rotations: [[Double]] = [], translations: [[Double]] = []
        for i in 0..<frames {
            let s = source[i], d = drivingVideo ? driver[i] : d0
            translations.append(relative ? s.translation : d.translation)
            if relative {
                if drivingVideo {
                    expressions.append((0..<s.expression.count).map { s.expression[$0] + d.expression[$0] - d0.expression[$0] })
                    rotations.append(Keypoints.multiply(Keypoints.multiply(d.rotation, Keypoints.transpose(d0.rotation)), s.rotation))
                } else {
                    guard let neutral = config.neutralExpression, neutral.count == s.expression.count else {
                        throw LivePortraitError.noNeutralExpression(config: config.name)
                    }
                    expressions.append((0..<s.expression.count).map { s.expression[$0] + (d0.expression[$0] - neutral[$0]) })
                    rotations.append(s.rotation)
                }
            } else {
                expressions.append(d.expression)
                rotations.append(d.rotation)
            }
        }
        guard drivingVideo else { return Targets(expressions: expressions, rotations: rotations, translations: translations) }
        return Targets(expressions: smooth(expressions, observationVariance: observationVariance),
                       rotations: smooth(rotations, observationVariance: observationVariance), translations: translations)
    }

    /// pykalman's `KalmanFilter(initial_state_mean = x₀, transition_covariance = q·I,
    /// observation_covariance = r·I).smooth(x)` (identity transition and observation, initial
    /// covariance I): a forward Kalman filter and a Rauch–Tung–Striebel pass. Every dimension is
    /// independent and shares one gain sequence, so it runs per value.
    public static func smooth(_ series: [[Double]], observationVariance r: Double = 3e-7, processVariance q: Double = 1e-5) -> [[Double]] {
        guard let first = series.first, series.count > 1 else { return series }
        let n = series.count, width = first.count
        var predictedCovariance = [Double](repeating: 0, count: n), filteredCovariance = [Double](repeating: 0, count: n)
        var predicted = [[Double]](repeating: [], count: n), filtered = [[Double]](repeating: [], count: n)
        for t in 0..<n {
            predicted[t] = t == 0 ? first : filtered[t - 1]
            predictedCovariance[t] = t == 0 ? 1 : filteredCovariance[t - 1] + q
            let gain = predictedCovariance[t] / (predictedCovariance[t] + r)
            filtered[t] = (0..<width).map { predicted[t][$0] + gain * (series[t][$0] - predicted[t][$0]) }
            filteredCovariance[t] = predictedCovariance[t] - gain * predictedCovariance[t]
        }
        var smoothed = filtered
        for t in stride(from: n - 2, through: 0, by: -1) {
            let j = filteredCovariance[t] / predictedCovariance[t + 1]
            smoothed[t] = (0..<width).map { filtered[t][$0] + j * (smoothed[t + 1][$0] - predicted[t + 1][$0]) }
        }
        return smoothed
    }

    /// The composed keypoints of one source frame `s` toward its targets, before stitching and
    /// retargeting: regions all/exp copy the target expression at the official keypoints (and
    /// single entries), lip/eyes at theirs; regions all/pose take the target rotation and
    /// translation; the scale stays the source frame's; tz = 0.
    static func compose(source s: LivePortraitMotion, expression target: [Double], rotation targetRotation: [Double],
                        translation targetTranslation: [Double], region: AnimationRegion) -> [Double] {
        let k = s.keypointCount
        var expression = s.expression
        func copy(_ keypoints: [Int]) {
            for i in keypoints where i < k { for j in 0..<3 { expression[3 * i + j] = target[3 * i + j] } }
        }
        switch region {
        case .all, .exp:
            copy(MotionComposer.absoluteKeypoints)
            for (i, j) in MotionComposer.absoluteEntries where i < k { expression[3 * i + j] = target[3 * i + j] }
        case .lip: copy(MotionComposer.lipKeypoints)
        case .eyes: copy(MotionComposer.eyeKeypoints)
        case .pose: break
        }
        let movesPose = region == .all || region == .pose
        return Keypoints.transform(s.canonical, rotation: movesPose ? targetRotation : s.rotation, expression: expression, scale: s.scale,
                                   translation: movesPose ? targetTranslation : s.translation)
    }
}
