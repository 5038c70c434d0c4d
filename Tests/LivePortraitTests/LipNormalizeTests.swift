import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// The official "normalize lip" (`flag_normalize_lip`) and source-video eye retargeting
/// (`flag_source_video_eye_retargeting`): retargeting deltas added after stitching when no
/// eye or lip retargeting is on.
struct LipNormalizeTests {
    struct Run {
        let x: [Double]
        let recorder: StageRecorder
    }

    static func run(_ network: LivePortraitNetwork, _ source: LivePortraitSource, _ driver: LivePortraitMotion, _ first: LivePortraitMotion,
                    _ edit: (inout LivePortraitOptions) -> Void) throws -> Run {
        var options = LivePortraitOptions()
        edit(&options)
        let recorder = StageRecorder()
        let x = try network.drivingKeypoints(source: source, driverMotion: driver, firstDriverMotion: first, options: options,
                                             recorder: recorder, recordAs: "f")
        return Run(x: x, recorder: recorder)
    }

    static func values(_ r: Run, _ name: String) throws -> [Double] {
        try #require(r.recorder["f.\(name)"]?.hostValues).map(Double.init)
    }

    @Test("normalize lip adds the lip delta toward a closed mouth (source ratio, 0) after stitching, with or without stitching")
    func normalizeLipAddsTheClosingDelta() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let (first, driver) = (try network.motion(of: fixture.drivers[0]), try network.motion(of: fixture.drivers[1]))
        for stitching in [true, false] {
            let plain = try Self.run(network, source, driver, first) { $0.stitching = stitching }
            let normalized = try Self.run(network, source, driver, first) { $0.stitching = stitching; $0.normalizeLip = 0.25 }
            // The same delta the lip retargeting MLP gives for ratios (0.25, 0).
            let retarget = try Self.run(network, source, driver, first) { $0.stitching = false; $0.lipRetargeting = LipRatios(source: 0.25, driving: 0) }
            let delta = try Self.values(normalized, "lip_normalize_delta")
            let expected = try Self.values(retarget, "lip_delta")
            #expect(delta.count == expected.count && zip(delta, expected).allSatisfy { abs($0 - $1) < 1e-6 })
            #expect(delta.contains { abs($0) > 1e-6 }, "the MLP's delta is not zero")
            for i in plain.x.indices { #expect(abs(normalized.x[i] - (plain.x[i] + delta[i])) < 1e-6, "keypoint value \(i), stitching \(stitching)") }
        }
    }

    @Test("normalize lip leaves a closed source mouth (ratio < 0.03), absolute motion and explicit retargeting as they are")
    func normalizeLipAppliesOnlyWhereTheOfficialDoes() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let (first, driver) = (try network.motion(of: fixture.drivers[0]), try network.motion(of: fixture.drivers[1]))
        let plain = try Self.run(network, source, driver, first) { _ in }
        #expect(try Self.run(network, source, driver, first) { $0.normalizeLip = 0.029 }.x == plain.x)
        let absolute = try Self.run(network, source, driver, first) { $0.relativeMotion = false }
        #expect(try Self.run(network, source, driver, first) { $0.relativeMotion = false; $0.normalizeLip = 0.3 }.x == absolute.x)
        let eye = EyeRatios(sourceLeft: 0.3, sourceRight: 0.3, driving: 0.1)
        let retargeted = try Self.run(network, source, driver, first) { $0.eyeRetargeting = eye }
        #expect(try Self.run(network, source, driver, first) { $0.eyeRetargeting = eye; $0.normalizeLip = 0.3 }.x == retargeted.x)
    }

    @Test("source-video eye retargeting adds the eye delta for the given ratios after stitching")
    func sourceEyeRetargetingAddsTheEyeDelta() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let (first, driver) = (try network.motion(of: fixture.drivers[0]), try network.motion(of: fixture.drivers[1]))
        let eye = EyeRatios(sourceLeft: 0.2, sourceRight: 0.25, driving: LivePortraitOptions.sourceEyeTarget(firstLeft: 0.3, firstRight: 0.34))
        let plain = try Self.run(network, source, driver, first) { _ in }
        let held = try Self.run(network, source, driver, first) { $0.sourceEyeRetargeting = eye }
        let retarget = try Self.run(network, source, driver, first) { $0.stitching = false; $0.eyeRetargeting = eye }
        let delta = try Self.values(held, "source_eye_delta"), expected = try Self.values(retarget, "eye_delta")
        #expect(zip(delta, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        for i in plain.x.indices { #expect(abs(held.x[i] - (plain.x[i] + delta[i])) < 1e-6) }
    }

    @Test("the source-video eye target is the first frame's mean ratio, 0.39 when its eyes are closed")
    func sourceEyeTargetFollowsTheOfficialRule() {
        #expect(abs(LivePortraitOptions.sourceEyeTarget(firstLeft: 0.3, firstRight: 0.34) - 0.32) < 1e-6)
        #expect(LivePortraitOptions.sourceEyeTarget(firstLeft: 0.1, firstRight: 0.2) == 0.39)
        #expect(abs(LivePortraitOptions.sourceEyeTarget(firstLeft: 0.18, firstRight: 0.18) - 0.18) < 1e-6)
    }
}
