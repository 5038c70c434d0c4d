import Face
import FaceMesh
import Foundation
import Media
import Runtime
import Testing

/// LivePortrait's rotated source crop (the official `flag_do_rot`): the matrix against the official
/// `_estimate_similar_transform_from_pts` on the same points, and a tilted face cut upright and
/// pasted back.
struct LivePortraitRotationTests {
    struct Points: Decodable {
        struct Entry: Decodable { let image: String; let points: [[Float]] }
        let entries: [Entry]
    }
    struct Matrices: Decodable {
        struct Entry: Decodable { let image: String; let m_o2c: [[Double]] }
        let entries: [Entry]
    }

    static let faceFixtures = Support.root.appendingPathComponent("Tests/Fixtures/face")

    /// (a·x + b·y + tx, c·x + d·y + ty) for `m` = [a, b, tx, c, d, ty].
    static func apply(_ m: [Double], _ p: SIMD2<Float>) -> SIMD2<Double> {
        SIMD2(m[0] * Double(p.x) + m[1] * Double(p.y) + m[2], m[3] * Double(p.x) + m[4] * Double(p.y) + m[5])
    }

    @Test("the crop matrix is the official one on the same 68 points (11 pictures, rolls up to 25°): every point lands within 0.05 px of 512")
    func matrixIsTheOfficialOne() throws {
        let points = try JSONDecoder().decode(Points.self, from: Data(contentsOf: Self.faceFixtures.appendingPathComponent("landmark-framing.json")))
        let official = try JSONDecoder().decode(Matrices.self, from: Data(contentsOf: Self.faceFixtures.appendingPathComponent("liveportrait-rotated-crop.json")))
        #expect(points.entries.count == official.entries.count && official.entries.count >= 10)
        var rolled = 0
        for (e, o) in zip(points.entries, official.entries) {
            #expect(e.image == o.image)
            let mesh = e.points.map { SIMD2($0[0], $0[1]) }
            let crop = try LivePortraitCrop(mesh: mesh)
            let ours = crop.cropMatrix(outputSide: 512), theirs = o.m_o2c.flatMap { $0 }
            let worst = try MeshLandmarks68.points(from: mesh).map { p in
                let d = Self.apply(ours, p) - Self.apply(theirs, p)
                return (d * d).sum().squareRoot()
            }.max() ?? .infinity
            #expect(worst < 0.05, "\(e.image): \(worst) px")
            if abs(crop.angle) > 0.15 { rolled += 1 }
            // The inverse takes the crop's corners back to the picture.
            let inverse = try #require(LivePortraitCrop.inverted(ours))
            let back = Self.apply(inverse, SIMD2<Float>(Float(Self.apply(ours, mesh[1]).x), Float(Self.apply(ours, mesh[1]).y)))
            #expect(abs(back.x - Double(mesh[1].x)) < 0.01 && abs(back.y - Double(mesh[1].y)) < 0.01)
        }
        #expect(rolled >= 3, "the fixture should hold rolled faces")
        // Without the rotation, the axis-aligned square: no shear terms.
        let flat = try LivePortraitCrop(mesh: points.entries[1].points.map { SIMD2($0[0], $0[1]) }).cropMatrix(outputSide: 512, rotated: false)
        #expect(flat[1] == 0 && flat[3] == 0 && flat[0] == flat[4])
    }

    @Test("a face tilted 20°: the rotated crop shows it upright, the axis-aligned one tilted; the paste-back puts it where it was")
    func tiltedFaceIsCutUpright() throws {
        let landmarker = try #require(Support.cpuLandmarker)
        let portrait = try PNGCodec.read(Support.root.appendingPathComponent("assets/astronaut-512.png").path)
        // Rotated 20° counter-clockwise on the screen about the centre (cv2.getRotationMatrix2D's form).
        let a = 20 * Double.pi / 180
        let (c, s) = (cos(a), sin(a))
        let tx: Double = (1 - c) * 256 - s * 256, ty: Double = s * 256 + (1 - c) * 256
        let rotation: [Double] = [c, s, tx, -s, c, ty]
        let tilted = try portrait.warpedLikeOpenCV(matrix: rotation, width: 512, height: 512)
        func roll(_ image: RGBImage) throws -> Double {
            let faces = try landmarker.find(in: Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW()),
                                            options: DenseLandmarkOptions(refineEyes: false))
            let face = try #require(faces.first, "no face found")
            return try LivePortraitCrop(mesh: face.points.map { SIMD2($0.x, $0.y) }).angle
        }
        let own = try roll(portrait)
        let faces = try landmarker.find(in: Tensor(shape: [1, 3, 512, 512], values: tilted.planarCHW()), options: DenseLandmarkOptions(refineEyes: false))
        let crop = try LivePortraitCrop(mesh: try #require(faces.first).points.map { SIMD2($0.x, $0.y) })
        // Counter-clockwise on the screen is a negative official angle.
        #expect(abs(crop.angle - (own - a)) < 0.05, "angle \(crop.angle), expected \(own - a)")
        let upright = try tilted.framedLikeOpenCV(size: 256, cropMatrix: crop.cropMatrix(outputSide: 512))
        let level = try tilted.framedLikeOpenCV(size: 256, cropMatrix: crop.cropMatrix(outputSide: 512, rotated: false))
        let uprightRoll = try roll(upright)
        let levelRoll = try roll(level)
        #expect(abs(uprightRoll) < 0.05, "the rotated crop's face is level: \(uprightRoll) rad")
        #expect(abs(levelRoll - crop.angle) < 0.05, "the axis-aligned crop keeps the tilt: \(levelRoll) rad")
        // Paste-back: the crop itself (as if rendered unchanged) warped back by the inverse matrix.
        let crop512 = crop.cropMatrix(outputSide: 512)
        let patch = try tilted.warpedLikeOpenCV(matrix: crop512, width: 512, height: 512)
        let pasted = try tilted.pastingLikeLivePortrait(patch, cropToPicture: try #require(LivePortraitCrop.inverted(crop512)))
        var error = 0.0, count = 0, outside = 0, changedOutside = 0
        for y in 0..<512 {
            for x in 0..<512 {
                let q = Self.apply(crop512, SIMD2(Float(x), Float(y)))
                let i = (y * 512 + x) * 3
                if q.x >= 40 && q.x < 472 && q.y >= 40 && q.y < 472 {
                    for k in 0..<3 { error += Double(abs(pasted.pixels[i + k] - tilted.pixels[i + k])); count += 1 }
                } else if q.x < -4 || q.x > 516 || q.y < -4 || q.y > 516 {
                    outside += 1
                    // As 8-bit levels (the blend writes level / 255, the decoder may hold it an ulp apart).
                    if (0..<3).contains(where: { (pasted.pixels[i + $0] * 255).rounded() != (tilted.pixels[i + $0] * 255).rounded() }) { changedOutside += 1 }
                }
            }
        }
        #expect(count > 10_000 && error / Double(count) < 2.0 / 255, "mean error inside the crop \(error / Double(max(count, 1)) * 255) levels")
        #expect(changedOutside == 0, "\(changedOutside) of \(outside) pixels outside the rotated square changed")
    }
}
