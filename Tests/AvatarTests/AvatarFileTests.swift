import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// Avatar files, free-view rendering and input checks (CPU engine, tiny config, random weights).
@Suite(.serialized)
struct AvatarFileTests {
    static func network(seed: UInt64 = 21) throws -> Network {
        let config = try ModelConfig.tiny
        return try Network(config: config, weights: Weights.random(config: config, seed: seed), engine: TestSupport.cpu)
    }

    @Test("an avatar saved and loaded renders exactly the same frame")
    func saveLoadRenders() throws {
        let network = try Self.network()
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 1))
        let driver = TestSupport.image(size: 64, seed: 2)
        let before = try network.renderFrame(avatar: avatar, driver: driver)
        let path = TestSupport.temporaryPath("avatar.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try avatar.save(to: path, engine: network.engine)
        let loaded = try network.resident(Avatar.load(path: path, config: network.config))
        #expect(loaded.sourcePose == avatar.sourcePose || loaded.sourcePose.parameters == avatar.sourcePose.parameters)
        let after = try network.renderFrame(avatar: loaded, driver: driver)
        #expect(try network.engine.values(after) == network.engine.values(before))
    }

    @Test("loading an avatar for another config is a typed error listing the differences")
    func incompatibleAvatar() throws {
        let network = try Self.network()
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 3))
        let path = TestSupport.temporaryPath("avatar.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try avatar.save(to: path, engine: network.engine)
        var other = network.config
        other.name = "tiny-deep"
        other.g2dSameBlocks = 3
        do {
            _ = try Avatar.load(path: path, config: other)
            Issue.record("incompatible avatar loaded")
        } catch let AvatarError.incompatibleAvatar(a, n, differences) {
            #expect(a == "tiny" && n == "tiny-deep")
            #expect(differences.count == 1 && differences[0].contains("g2dSameBlocks"), "\(differences)")
        }
        // A differently named but identical config is compatible.
        var renamed = network.config
        renamed.name = "tiny-copy"
        _ = try Avatar.load(path: path, config: renamed)
        // A weights file is not an avatar file.
        let weightsPath = TestSupport.temporaryPath("weights.safetensors")
        defer { try? FileManager.default.removeItem(atPath: weightsPath) }
        try Weights.random(config: network.config, seed: 1).save(to: weightsPath, config: network.config)
        #expect(throws: AvatarError.self) { try Avatar.load(path: weightsPath) }
    }

    @Test("free-view: the driver's own pose and expression reproduce renderFrame(driver:); a new yaw changes the image")
    func freeView() throws {
        let network = try Self.network()
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 4))
        let driverRecorder = StageRecorder()
        let driven = try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: 64, seed: 5), recorder: driverRecorder)
        let pose = try HeadPose(parameters: #require(driverRecorder["driver.pose"]?.hostValues))
        let z = try #require(driverRecorder["driver.z"])
        let explicit = try network.renderFrame(avatar: avatar, pose: pose, expression: z)
        let c = TestSupport.compare(try network.engine.host(explicit), try network.engine.host(driven), Tolerance(absolute: 1e-6, relative: 1e-6))
        #expect(c.passed, "\(c)")

        var turned = avatar.sourcePose
        let still = try network.renderFrame(avatar: avatar, pose: turned)
        turned.yaw += 0.4
        let moved = try network.renderFrame(avatar: avatar, pose: turned)
        let d = TestSupport.compare(try network.engine.host(moved), try network.engine.host(still), Tolerance(absolute: 0, relative: 0))
        #expect(d.maxAbsoluteError > 1e-4, "turning the head should change the image (max|Δ| \(d.maxAbsoluteError))")
        var singular = turned
        singular.scale = [0, 1, 1]
        #expect(throws: AvatarError.self) { try network.renderFrame(avatar: avatar, pose: singular) }
    }

    @Test("non-square, too small, too large, wrongly shaped and non-finite images are typed errors")
    func badImages() throws {
        let network = try Self.network()
        func problem(_ body: () throws -> Void) -> AvatarError.ImageProblem? {
            do { try body() } catch let AvatarError.invalidImage(_, p) { return p } catch { return nil }
            return nil
        }
        let nonSquare = Tensor(zeros: [1, 3, 64, 48])
        #expect(problem { _ = try network.makeAvatar(source: nonSquare) } == .notSquare(height: 64, width: 48))
        #expect(problem { _ = try network.makeAvatar(source: Tensor(zeros: [1, 3, 32, 32])) } == .tooSmall(side: 32, required: 64))
        #expect(problem { _ = try network.makeAvatar(source: Tensor(zeros: [1, 3, 128, 128])) } == .tooLarge(side: 128, required: 64))
        #expect(problem { _ = try network.makeAvatar(source: Tensor(zeros: [3, 64, 64])) } == .layout(expected: [1, 3, 64, 64], found: [3, 64, 64]))
        var nan = [Float](repeating: 0.5, count: 3 * 64 * 64)
        nan[17] = .nan
        #expect(problem { _ = try network.makeAvatar(source: Tensor(shape: [1, 3, 64, 64], values: nan)) } == .notFinite)
        #expect(problem { _ = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 1), mask: Tensor(zeros: [1, 3, 64, 64])) }
                == .layout(expected: [1, 1, 64, 64], found: [1, 3, 64, 64]))
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 1))
        #expect(problem { _ = try network.renderFrame(avatar: avatar, driver: nonSquare) } == .notSquare(height: 64, width: 48))
        let error = AvatarError.invalidImage(role: "source", problem: .notSquare(height: 64, width: 48))
        #expect(error.description.contains("not square"))
    }
}
