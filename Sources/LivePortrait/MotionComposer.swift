/// The host half of the per-frame motion (`live_portrait_pipeline.py execute`, image source,
/// driving video; docs/liveportrait.md §4): the driving keypoints x_d,i from the source's and the
/// driving frames' motion before the MLPs (stitching, retargeting) run. Keypoint indices of the
/// lip/eye regions and of the absolute-mode copies are those of the released 21-keypoint model;
/// indices beyond a smaller model's keypoint count are ignored.
enum MotionComposer {
    /// Keypoints the official pipeline treats as lip keypoints.
    static let lipKeypoints = [6, 12, 14, 17, 19, 20]
    /// Keypoints the official pipeline treats as eye keypoints.
    static let eyeKeypoints = [11, 13, 15, 16, 18]
    /// Expression entries copied from the driver in absolute mode (all three coordinates).
    static let absoluteKeypoints = [1, 2, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    /// Further single (keypoint, coordinate) entries copied in absolute mode.
    static let absoluteEntries = [(3, 1), (4, 1), (5, 2), (8, 2), (9, 1), (9, 2)]

    /// x_d,i before the expression-friendly rescale: relative motion
    /// `R = (R_d · R_d0ᵀ) · R_s`, `δ = δ_s + (δ_d − δ_d0)`, `s = s_s · s_d / s_d0`, `t = t_s + t_d − t_d0`
    /// (or the absolute form), restricted to `options.region`, then Eqn. 2 with tz = 0.
    ///
    /// With `options.stillDriver` the driver is its own first frame and the expression reference is
    /// `neutral` (regions all, exp, lip) or zero (eyes), the official driving-image rule.
    static func compose(source s: LivePortraitMotion, driver d: LivePortraitMotion, first: LivePortraitMotion,
                        options: LivePortraitOptions, neutral: [Double]? = nil) -> [Double] {
        let k = s.keypointCount
        let region = options.region
        let movesPose = region == .all || region == .pose
        var rotation = s.rotation, expression = s.expression, scale = s.scale, translation = s.translation
        func copy(_ from: [Double], keypoints: [Int]) {
            for i in keypoints where i < k { for j in 0..<3 { expression[3 * i + j] = from[3 * i + j] } }
        }
        if options.relativeMotion {
            if movesPose { rotation = Keypoints.multiply(Keypoints.multiply(d.rotation, Keypoints.transpose(first.rotation)), s.rotation) }
            let reference = options.stillDriver ? (neutral ?? [Double](repeating: 0, count: 3 * k)) : first.expression
            let relative = (0..<3 * k).map { s.expression[$0] + (d.expression[$0] - reference[$0]) }
            switch region {
            case .all, .exp: expression = relative
            case .lip: copy(relative, keypoints: lipKeypoints)
            case .eyes:
                let fromZero = options.stillDriver ? (0..<3 * k).map { s.expression[$0] + d.expression[$0] } : relative
                copy(fromZero, keypoints: eyeKeypoints)
            case .pose: break
            }
            if region == .all { scale = s.scale * (d.scale / first.scale) }
            if movesPose { translation = (0..<3).map { s.translation[$0] + (d.translation[$0] - first.translation[$0]) } }
        } else {
            if movesPose { rotation = d.rotation }
            switch region {
            case .all, .exp:
                copy(d.expression, keypoints: absoluteKeypoints)
                for (i, j) in absoluteEntries where i < k { expression[3 * i + j] = d.expression[3 * i + j] }
            case .lip: copy(d.expression, keypoints: lipKeypoints)
            case .eyes: copy(d.expression, keypoints: eyeKeypoints)
            case .pose: break
            }
            if movesPose { translation = d.translation }
        }
        return Keypoints.transform(s.canonical, rotation: rotation, expression: expression, scale: scale, translation: translation)
    }

    /// 'expression-friendly': `(x_d − x_d0) · m + x_s` with `m = sqrt(V(x_s)) / sqrt(V(x_d0))`, V the
    /// convex-hull volume (computed exactly, `Keypoints.hullVolume`). For an image source and
    /// relative motion x_d0 = x_s, so m = 1 up to rounding. A degenerate hull (V(x_d0) = 0) keeps m = 1.
    static func expressionFriendly(_ x: [Double], first x0: [Double], source xs: [Double]) -> [Double] {
        let v0 = Keypoints.hullVolume(x0), vs = Keypoints.hullVolume(xs)
        let m = v0 > 0 && vs > 0 ? (vs / v0).squareRoot() : 1
        return (0..<x.count).map { (x[$0] - x0[$0]) * m + xs[$0] }
    }
}
