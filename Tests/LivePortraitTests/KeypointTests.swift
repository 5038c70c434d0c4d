import Foundation
import LivePortrait
import Testing

/// The host keypoint maths: bins to degrees, rotation, hull volume.
struct LivePortraitKeypointTests {
    @Test("uniform bins give 0°; one dominant bin i gives 3i − 97.5")
    func degrees() {
        #expect(abs(Keypoints.degrees(fromBins: [Float](repeating: 0.3, count: 66))) < 1e-12)
        var logits = [Float](repeating: -100, count: 66)
        logits[40] = 100
        #expect(abs(Keypoints.degrees(fromBins: logits) - 22.5) < 1e-9)
    }

    @Test("the rotation is orthonormal; pure yaw rotates x towards −z as the official matrix")
    func rotation() {
        let r = Keypoints.rotation(pitch: 12, yaw: -20, roll: 7)
        let identity = Keypoints.multiply(r, Keypoints.transpose(r))
        for i in 0..<9 { #expect(abs(identity[i] - (i % 4 == 0 ? 1 : 0)) < 1e-12) }
        let yaw = Keypoints.rotation(pitch: 0, yaw: 90, roll: 0)
        let x = Keypoints.rotate([1, 0, 0], by: yaw)
        #expect(abs(x[0]) < 1e-12 && abs(x[1]) < 1e-12 && abs(x[2] + 1) < 1e-12, "\(x)")
    }

    @Test("hull volumes: tetrahedron, cube with coplanar faces and interior points, flat sets")
    func hullVolume() {
        #expect(abs(Keypoints.hullVolume([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]) - 1.0 / 6) < 1e-12)
        var cube: [Double] = []
        for i in 0..<8 { cube += [Double(i & 1) * 2, Double(i >> 1 & 1) * 2, Double(i >> 2) * 2] }
        cube += [1, 1, 1, 0.5, 1.5, 1, 1, 0, 1]          // interior point, interior point, a face centre
        #expect(abs(Keypoints.hullVolume(cube) - 8) < 1e-9)
        #expect(Keypoints.hullVolume([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]) == 0)
        // An octahedron |x| + |y| + |z| ≤ 1: volume 4/3.
        let octahedron: [Double] = [1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1]
        #expect(abs(Keypoints.hullVolume(octahedron) - 4.0 / 3) < 1e-12)
    }
}
