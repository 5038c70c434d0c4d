import Face
import Foundation
import Testing

/// The landmark-based framings and ratios against the official code's own numbers on MediaPipe's
/// outputs (Tests/Fixtures/face/landmark-framing.json, made by face_landmark_fixtures.py (a harness kept outside the repository):
/// MediaPipe 0.10.21's detector and refined FaceMesh, then the official EMOPortraits `crop_image`
/// and `remove_overflow`, LivePortrait's `parse_rect_from_landmark`, `calc_eye_close_ratio` and
/// `calc_lip_close_ratio` run on them).
struct LandmarkFramingTests {
    struct Fixture: Decodable {
        struct Entry: Decodable {
            let image: String
            let size: [Int]
            let mediapipe_box: [Double]
            let emo_crop: [Double]
            let lp_rect: [Double]
            let eye_ratio: [Float]
            let lip_ratio: Float
            let points: [[Float]]

            var mesh: [SIMD2<Float>] { points.map { SIMD2($0[0], $0[1]) } }
        }
        let entries: [Entry]
    }

    static func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Support.fixtures.appendingPathComponent("landmark-framing.json")))
    }

    @Test("the EMOPortraits crop from a MediaPipe box is the official crop to the pixel, shrunk crops at the edge included")
    func emoPortraitsCropIsTheOfficialOne() throws {
        let entries = try Self.fixture().entries
        #expect(entries.count >= 10)
        var shrunk = 0
        for e in entries {
            let (w, h) = (Double(e.size[0]), Double(e.size[1]))
            let b = e.mediapipe_box
            let frame = try EMOPortraitsCrop.frame(boxX: b[0] * w, boxY: b[1] * h, boxWidth: b[2] * w, boxHeight: b[3] * h,
                                                   pictureWidth: e.size[0], pictureHeight: e.size[1])
            #expect(frame.centerX == e.emo_crop[0] && frame.centerY == e.emo_crop[1] && frame.side == e.emo_crop[2],
                    "\(e.image): \(frame) vs official \(e.emo_crop)")
            // Every official crop lies inside the picture.
            #expect(frame.centerX - frame.side / 2 >= 0 && frame.centerX + frame.side / 2 <= w)
            #expect(frame.centerY - frame.side / 2 >= 0 && frame.centerY + frame.side / 2 <= h)
            let full = b[2] * w + (min(h * (b[1] + 1.2 * b[3]), h - 1) - 0.9 * h * b[1])
            if frame.side < full - 2 { shrunk += 1 }
        }
        #expect(shrunk >= 1, "the fixture should hold a face whose crop remove_overflow shrinks")
    }

    @Test("the EMOPortraits crop refuses an empty box and one whose crop cannot fit the picture")
    func emoPortraitsCropRefusesBadBoxes() {
        #expect(throws: FaceError.self) { try EMOPortraitsCrop.frame(boxX: 10, boxY: 10, boxWidth: 0, boxHeight: 20, pictureWidth: 100, pictureHeight: 100) }
        #expect(throws: FaceError.self) { try EMOPortraitsCrop.frame(boxX: .nan, boxY: 10, boxWidth: 5, boxHeight: 20, pictureWidth: 100, pictureHeight: 100) }
        #expect(throws: FaceError.self) { try EMOPortraitsCrop.frame(boxX: 500, boxY: 10, boxWidth: 50, boxHeight: 50, pictureWidth: 100, pictureHeight: 100) }
    }

    @Test("LivePortrait's crop rectangle from FaceMesh's 68-point subset is the official parse_rect_from_landmark's")
    func livePortraitCropIsTheOfficialRule() throws {
        for e in try Self.fixture().entries {
            let rect = try LivePortraitCrop(mesh: e.mesh)
            let tolerance = 1e-4 * e.lp_rect[2]
            #expect(abs(rect.centerX - e.lp_rect[0]) < tolerance && abs(rect.centerY - e.lp_rect[1]) < tolerance, "\(e.image): \(rect) vs \(e.lp_rect)")
            #expect(abs(rect.side - e.lp_rect[2]) < tolerance, "\(e.image): side \(rect.side) vs \(e.lp_rect[2])")
            #expect(abs(rect.angle - e.lp_rect[3]) < 1e-4, "\(e.image): angle \(rect.angle) vs \(e.lp_rect[3])")
        }
    }

    @Test("the rolled pictures give the roll they were made with (PIL rotates counter-clockwise: the official angle is minus it)")
    func livePortraitAngleFollowsTheRoll() throws {
        for e in try Self.fixture().entries {
            guard let r = e.image.split(separator: "-").first(where: { $0.hasPrefix("r") }), let degrees = Double(r.dropFirst()) else { continue }
            let rect = try LivePortraitCrop(mesh: e.mesh)
            // The face's own roll in the photograph is a few degrees; the added roll dominates.
            #expect(abs(rect.angle * 180 / .pi + degrees) < 6, "\(e.image): angle \(rect.angle * 180 / .pi)°")
        }
    }

    @Test("eye and lip open ratios are the official calc_eye_close_ratio / calc_lip_close_ratio on the same places")
    func ratiosAreTheOfficialOnes() throws {
        for e in try Self.fixture().entries {
            let r = try RetargetingRatios(mesh: e.mesh)
            #expect(abs(r.leftEye - e.eye_ratio[0]) < 1e-5 && abs(r.rightEye - e.eye_ratio[1]) < 1e-5, "\(e.image): \(r) vs \(e.eye_ratio)")
            #expect(abs(r.lip - e.lip_ratio) < 1e-5, "\(e.image): lip \(r.lip) vs \(e.lip_ratio)")
            // Open eyes, as in every picture of the set; Grace Hopper's mouth is closed, the astronaut smiles.
            #expect(r.leftEye > 0.2 && r.rightEye > 0.2)
            #expect(e.image.hasPrefix("hopper") ? r.lip < 0.05 : r.lip > 0.1)
        }
    }

    @Test("eye contours from the iris network replace the mesh's lids; a contour too short is refused")
    func eyeContoursReplaceTheMeshLids() throws {
        let mesh = try #require(Self.fixture().entries.first).mesh
        let plain = try RetargetingRatios(mesh: mesh)
        // A right-eye contour in MediaPipe's ring order whose lids are twice as far apart.
        var ring = [[33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173].map { mesh[$0] }]
        let middle = (mesh[159] + mesh[145]) / 2
        ring[0][12] = middle + 2 * (mesh[159] - middle)
        ring[0][4] = middle + 2 * (mesh[145] - middle)
        let refined = try RetargetingRatios(mesh: mesh, rightEyeContour: ring[0])
        #expect(abs(refined.leftEye - 2 * plain.leftEye) < 1e-4)
        #expect(refined.rightEye == plain.rightEye && refined.lip == plain.lip)
        #expect(throws: FaceError.self) { try RetargetingRatios(mesh: mesh, leftEyeContour: Array(ring[0].prefix(8))) }
        #expect(throws: FaceError.self) { try RetargetingRatios(mesh: Array(mesh.prefix(467))) }
    }

    @Test("the 68-point subset keeps dlib's layout: 68 distinct points, jaw around the chin, eyes and mouth corners in order")
    func dlib68SubsetHasDlibsLayout() throws {
        #expect(MeshLandmarks68.meshIndex.count == 68 && Set(MeshLandmarks68.meshIndex).count == 68)
        #expect(MeshLandmarks68.meshIndex.allSatisfy { (0..<468).contains($0) })
        let e = try #require(Self.fixture().entries.first { $0.image.hasPrefix("astronaut-s1.0-r0-512") })
        let p = try MeshLandmarks68.points(from: e.mesh)
        #expect(p.count == 68)
        // Chin lowest of the jaw; jaw runs left to right.
        #expect(p[0...16].allSatisfy { $0.y <= p[8].y })
        #expect(p[0].x < p[8].x && p[8].x < p[16].x)
        // Eye corners left to right: 36 < 39 < 42 < 45; brows above the eyes; nose tip (30) between the eyes and the mouth.
        #expect(p[36].x < p[39].x && p[39].x < p[42].x && p[42].x < p[45].x)
        #expect(p[17...26].map(\.y).max()! < p[36...47].map(\.y).min()!)
        #expect(p[30].y > p[39].y && p[30].y < p[51].y)
        // Mouth: corners 48 < 54, top of the upper lip above the inner lips above the bottom of the lower lip.
        #expect(p[48].x < p[54].x && p[51].y < p[62].y && p[62].y <= p[66].y && p[66].y < p[57].y)
        #expect(throws: FaceError.self) { try MeshLandmarks68.points(from: Array(e.mesh.prefix(400))) }
    }
}
