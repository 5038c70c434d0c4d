import Foundation
import LivePortrait
import Testing

/// Video-to-video motion (`SourceVideoMotion`): the smoother against pykalman itself, the targets'
/// rules, and the composition of a source frame toward its own motion.
struct SourceVideoMotionTests {
    @Test("the smoother equals pykalman's KalmanFilter.smooth with the official settings (q 1e-5, r 3e-7)")
    func smootherMatchesPykalman() {
        // float32 observations, as the official templates hold them.
        let series: [[Float]] = [[0.1, -0.2, 0.05], [0.12, -0.18, 0.04], [0.2, -0.1, 0.06], [0.15, -0.15, 0.02], [0.3, 0.0, 0.01], [0.25, -0.05, 0.03]]
        // pykalman 0.9 (`KalmanFilter(initial_state_mean=x[0], n_dim_obs=3, transition_covariance=1e-5·I,
        // observation_covariance=3e-7·I).smooth(x)`), computed outside the repository.
        let expected: [[Double]] = [
            [0.10062963507728892, -0.19937036939322855, 0.04973188545344392], [0.12161742761873462, -0.1783825768574197, 0.04079470638259088],
            [0.19651956352496802, -0.10348044115035542, 0.05834776986708954], [0.1554070509223941, -0.1445929607846008, 0.0208265402913899],
            [0.2945293703841404, -0.0054706412233897946, 0.010856668663181265], [0.2512969719529361, -0.04870302910850462, 0.029442426591595326],
        ]
        let smoothed = SourceVideoMotion.smooth(series.map { $0.map(Double.init) })
        for (row, want) in zip(smoothed, expected) { for (a, b) in zip(row, want) { #expect(abs(a - b) < 1e-12, "\(a) vs \(b)") } }
        #expect(SourceVideoMotion.smooth([[1, 2]]) == [[1, 2]])
        let constant = SourceVideoMotion.smooth(Array(repeating: [0.5, -0.25], count: 5))
        for row in constant { #expect(abs(row[0] - 0.5) < 1e-15 && abs(row[1] + 0.25) < 1e-15) }
    }

    @Test("targets: relative motion of a source clip by itself keeps each frame's own expression and rotation (smoothed); absolute takes the driver's")
    func targetsFollowTheOfficialRules() throws {
        let fixture = try LPFixture()
        let network = try LPTestSupport.network()
        let motions = try fixture.drivers.map { try network.motion(of: $0) }
        let config = network.config
        // Driving a clip by itself, relative: δ_s,i + δ_i − δ_0 and R_i·R_0ᵀ·R_i, smoothed.
        let relative = try SourceVideoMotion.targets(source: motions, driver: motions, frames: motions.count, relative: true, config: config)
        let raw = motions.map { m in (0..<m.expression.count).map { m.expression[$0] + m.expression[$0] - motions[0].expression[$0] } }
        let smoothed = SourceVideoMotion.smooth(raw)
        #expect(relative.expressions == smoothed)
        #expect(relative.translations == motions.map(\.translation))
        let absolute = try SourceVideoMotion.targets(source: motions, driver: Array(motions.reversed()), frames: motions.count, relative: false, config: config)
        #expect(absolute.translations == motions.reversed().map(\.translation))
        #expect(absolute.expressions == SourceVideoMotion.smooth(motions.reversed().map(\.expression)))
        // A driving picture, relative: δ_s,i + (δ_d − neutral), unsmoothed; its rotation is the source frame's.
        let neutral = try #require(config.neutralExpression)
        let picture = try SourceVideoMotion.targets(source: motions, driver: [motions[1]], frames: motions.count, relative: true, config: config)
        for (i, m) in motions.enumerated() {
            #expect(picture.expressions[i] == (0..<m.expression.count).map { m.expression[$0] + (motions[1].expression[$0] - neutral[$0]) })
            #expect(picture.rotations[i] == m.rotation)
        }
        #expect(throws: LivePortraitError.self) {
            _ = try SourceVideoMotion.targets(source: motions, driver: motions, frames: motions.count + 1, relative: true, config: config)
        }
    }

    @Test("a source frame driven toward its own motion (stitching off) keeps x_s")
    func ownMotionKeepsTheSource() throws {
        let fixture = try LPFixture()
        let network = try LPTestSupport.network()
        let source = try network.makeSource(image: fixture.source)
        let m = source.motion
        let targets = SourceVideoMotion.Targets(expressions: [m.expression], rotations: [m.rotation], translations: [m.translation])
        var options = LivePortraitOptions()
        options.stitching = false
        let x = try network.sourceVideoKeypoints(source: source, targets: targets, index: 0, options: options)
        for (a, b) in zip(x, m.keypoints) { #expect(abs(a - b) < 1e-12) }
        #expect(throws: LivePortraitError.self) { _ = try network.sourceVideoKeypoints(source: source, targets: targets, index: 1, options: options) }
    }
}
