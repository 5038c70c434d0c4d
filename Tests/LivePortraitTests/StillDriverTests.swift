import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// A driving *picture* as the official pipeline treats it (`live_portrait_pipeline.py`, not
/// `flag_is_driving_video`): in relative mode its expression is taken relative to the neutral
/// expression (`lip_array`; eyes relative to zero), the source keeps its pose, scale and
/// translation, and there is no 'expression-friendly' rescale.
struct LivePortraitStillDriverTests {
    /// The tiny fixture network with `neutral` as its config's neutral expression.
    static func network(neutral: [Double]?) throws -> LivePortraitNetwork {
        var config = try LivePortraitConfig.load(LPTestSupport.configPath)
        config.neutralExpression = neutral
        return try LivePortraitNetwork(config: config, weightsPath: LPTestSupport.weightsPath, engine: LPTestSupport.cpu)
    }

    static func stillKeypoints(_ network: LivePortraitNetwork, _ source: LivePortraitSource, _ driver: LivePortraitMotion,
                               region: AnimationRegion = .all) throws -> [Double] {
        var options = LivePortraitOptions()
        options.stitching = false
        options.stillDriver = true
        options.region = region
        return try network.drivingKeypoints(source: source, driverMotion: driver, firstDriverMotion: driver, options: options)
    }

    @Test("relative mode: x = s_s · (kp_s · R_s + δ_s + δ_d − δ_neutral) + t_s; two pictures move the source differently")
    func expressionIsTakenRelativeToTheNeutralOne() throws {
        let fixture = try LPFixture()
        let neutral = (0..<12).map { Double($0 % 5) * 0.01 - 0.02 }
        let network = try Self.network(neutral: neutral)
        let source = try network.makeSource(image: fixture.source)
        let s = source.motion
        var results: [[Double]] = []
        for picture in fixture.drivers.prefix(2) {
            let driver = try network.motion(of: picture)
            let x = try Self.stillKeypoints(network, source, driver)
            let expected = Keypoints.transform(s.canonical, rotation: s.rotation,
                                               expression: (0..<x.count).map { s.expression[$0] + driver.expression[$0] - neutral[$0] },
                                               scale: s.scale, translation: s.translation)
            for i in 0..<x.count { #expect(abs(x[i] - expected[i]) < 1e-9, "keypoint value \(i)") }
            results.append(x)
        }
        #expect(results[0] != results[1], "two driving pictures moved the source the same way")
        #expect(results[0] != s.keypoints, "a driving picture left the source as it was")
    }

    @Test("without a neutral expression in the config, a picture in relative mode is refused with what to do")
    func missingNeutralExpressionIsAnError() throws {
        let fixture = try LPFixture()
        let network = try Self.network(neutral: nil)
        let source = try network.makeSource(image: fixture.source)
        let driver = try network.motion(of: fixture.drivers[0])
        #expect(throws: LivePortraitError.noNeutralExpression(config: network.config.name)) {
            _ = try Self.stillKeypoints(network, source, driver)
        }
        // The pose region reads no expression, so it needs none.
        _ = try Self.stillKeypoints(network, source, driver, region: .pose)
    }
}
