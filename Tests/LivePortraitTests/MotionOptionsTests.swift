import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// The per-frame options beyond the goldens' defaults: regions, absolute motion, the multiplier.
struct LivePortraitMotionOptionsTests {
    static func keypoints(_ network: LivePortraitNetwork, _ source: LivePortraitSource, driver: LivePortraitMotion,
                          first: LivePortraitMotion, _ edit: (inout LivePortraitOptions) -> Void) throws -> [Double] {
        var options = LivePortraitOptions()
        options.stitching = false
        edit(&options)
        return try network.drivingKeypoints(source: source, driverMotion: driver, firstDriverMotion: first, options: options)
    }

    @Test("a driver equal to the first frame (absolute: the source as driver and first frame) leaves x_s in every region")
    func stillDriverKeepsSource() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let driver = try network.motion(of: fixture.drivers[1])
        let xs = source.motion.keypoints
        for region in AnimationRegion.allCases {
            let relative = try Self.keypoints(network, source, driver: driver, first: driver) { $0.region = region }
            let absolute = try Self.keypoints(network, source, driver: source.motion, first: source.motion) {
                $0.region = region
                $0.relativeMotion = false
            }
            for (a, b) in zip(relative, xs) { #expect(abs(a - b) < 1e-9, "relative \(region)") }
            for (a, b) in zip(absolute, xs) { #expect(abs(a - b) < 1e-9, "absolute \(region)") }
        }
    }

    @Test("the driving multiplier scales the motion around x_s; region exp keeps the source pose")
    func multiplierAndRegions() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let first = try network.motion(of: fixture.drivers[0]), driver = try network.motion(of: fixture.drivers[1])
        let xs = source.motion.keypoints
        let full = try Self.keypoints(network, source, driver: driver, first: first) { _ in }
        let half = try Self.keypoints(network, source, driver: driver, first: first) { $0.drivingMultiplier = 0.5 }
        for i in 0..<xs.count { #expect(abs(half[i] - (xs[i] + (full[i] - xs[i]) / 2)) < 1e-12) }
        // Region exp: x = s_s · (kp_s · R_s + δ_s + δ_d − δ_d0) + t_s.
        let exp = try Self.keypoints(network, source, driver: driver, first: first) { $0.region = .exp }
        let s = source.motion
        let expected = Keypoints.transform(s.canonical, rotation: s.rotation,
                                           expression: (0..<xs.count).map { s.expression[$0] + driver.expression[$0] - first.expression[$0] },
                                           scale: s.scale, translation: s.translation)
        for i in 0..<xs.count { #expect(abs(exp[i] - expected[i]) < 1e-12) }
    }

    @Test("absolute motion is not rescaled expression-friendly (the official pipeline rescales relative motion only)")
    func absoluteMotionSkipsExpressionFriendly() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let first = try network.motion(of: fixture.drivers[0]), driver = try network.motion(of: fixture.drivers[1])
        let friendly = try Self.keypoints(network, source, driver: driver, first: first) { $0.relativeMotion = false }
        let plain = try Self.keypoints(network, source, driver: driver, first: first) {
            $0.relativeMotion = false
            $0.expressionFriendly = false
        }
        #expect(friendly == plain)
        // Relative motion is rescaled around x_s: x_d,0 maps to x_s, so a still driver leaves x_s.
        let still = try Self.keypoints(network, source, driver: first, first: first) { _ in }
        for (a, b) in zip(still, source.motion.keypoints) { #expect(abs(a - b) < 1e-9) }
        #expect(friendly != still, "absolute motion follows the driver, not x_s")
    }
}
