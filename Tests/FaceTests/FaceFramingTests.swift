import Face
import Foundation
import Media
import Testing

/// `FaceFrame.emoPortraits` against the official inference's MediaPipe crops, and the integer
/// cut in whole pixels with `SquareCrop.around` (Media's EdgeFramingTests check it).
struct FaceFramingTests {
    struct Calibration: Decodable {
        struct Entry: Decodable {
            let image: String
            let size: [Int]
            let official_crop: [Double]
            let mediapipe_box: [Double]
            let yunet_landmarks: [[Float]]
            let yunet_box: [Float]
        }
        let entries: [Entry]
    }

    static func calibration() throws -> Calibration {
        try JSONDecoder().decode(Calibration.self, from: Data(contentsOf: Support.fixtures.appendingPathComponent("framing-calibration.json")))
    }

    static func face(_ entry: Calibration.Entry) -> DetectedFace {
        DetectedFace(x: entry.yunet_box[0], y: entry.yunet_box[1], width: entry.yunet_box[2], height: entry.yunet_box[3], score: 1,
                     landmarks: entry.yunet_landmarks.map { SIMD2($0[0], $0[1]) })
    }

    /// Centre distance over the official side, and the side ratio ours / official.
    static func errors(_ frame: FaceFrame, _ official: [Double]) -> (centre: Double, side: Double) {
        let d = ((frame.centerX - official[0]) * (frame.centerX - official[0]) + (frame.centerY - official[1]) * (frame.centerY - official[1])).squareRoot()
        return (d / official[2], frame.side / official[2])
    }

    @Test("the LivePortrait framing is LivePortrait's 2.3× square around the MediaPipe-sized face box, moved up by 0.125 sides")
    func livePortraitFramingFollowsTheOfficialRule() throws {
        for entry in try Self.calibration().entries {
            let face = Self.face(entry)
            let live = FaceFrame.livePortrait(for: face), emo = FaceFrame.emoPortraits(for: face)
            // The same landmark scale: the side ratio is fixed by the two official rules.
            let box = emo.side / FaceFrame.Calibration.side * FaceFrame.Calibration.mediaPipeBox
            #expect(abs(live.side - 2.3 * box) < 1e-6 * live.side)
            // Centre: the face box's centre, 0.125 crop sides up; horizontally the same as EMOPortraits'.
            let eyesY = Double(face.landmarks[0].y + face.landmarks[1].y) / 2
            let boxCentreY = eyesY + 0.617 * box / FaceFrame.Calibration.mediaPipeBox
            #expect(abs(live.centerY - (boxCentreY - 0.125 * live.side)) < 1e-6 * live.side)
            #expect(abs(live.centerX - emo.centerX) < 1e-9)
            // The face box itself lies inside the crop, with forehead room above it.
            #expect(live.centerY - live.side / 2 < boxCentreY - box / 2 - 0.4 * box)
            #expect(live.centerY + live.side / 2 > boxCentreY + box / 2)
            // Against the official MediaPipe box (EMOPortraits' calibration data): the crop is
            // 2.3 of its sides within the landmark estimate's spread (±15 %).
            let official = entry.mediapipe_box
            let ratio = live.side / (2.3 * max(official[2], official[3]))
            #expect(ratio > 0.85 && ratio < 1.15, "\(entry.image): side ratio \(ratio)")
        }
    }

    @Test("landmark framing matches the official MediaPipe crop on portrait framings: centre within 3 % of the side, side within 15 %")
    func matchesOfficialCrops() throws {
        let entries = try Self.calibration().entries
        // The official top margin is 0.1·ymin: translation-dependent. Compare where the face sits as
        // in a portrait (ymin below one box height), which the calibration constant stands for.
        let portraits = entries.filter { $0.mediapipe_box[1] < $0.mediapipe_box[3] }
        #expect(portraits.count >= 8, "calibration fixture too small: \(portraits.count)")
        var worstCentre = 0.0, sides: [Double] = []
        for entry in portraits {
            let e = Self.errors(FaceFrame.emoPortraits(for: Self.face(entry)), entry.official_crop)
            worstCentre = max(worstCentre, e.centre)
            sides.append(e.side)
            #expect(e.centre < 0.03 && abs(e.side - 1) < 0.15, "\(entry.image): centre off by \(e.centre) of the side, side ratio \(e.side)")
        }
        let meanSide = sides.reduce(0, +) / Double(sides.count)
        #expect(abs(meanSide - 1) < 0.04, "mean side ratio \(meanSide)")
        #expect(worstCentre < 0.03)
    }

    @Test("on the bundled portrait, detection + framing lands on the official crop (814…816, 172…176, 218…222 for the 1280×720 paste)")
    func bundledPortraitFraming() throws {
        let detector = try FaceDetector(engine: Support.cpu)
        let faces = try detector.detect(Support.tensor(try Support.astronaut()))
        let frame = FaceFrame.emoPortraits(for: try #require(faces.first))
        let official = try #require(try Self.calibration().entries.first { $0.image == "astronaut-512.png" })
        let e = Self.errors(frame, official.official_crop)
        #expect(e.centre < 0.03 && abs(e.side - 1) < 0.1, "centre \(e.centre), side ratio \(e.side)")
        let crop = try #require(SquareCrop.around(centerX: frame.centerX, centerY: frame.centerY, side: frame.side, width: 512, height: 512))
        #expect(crop.isInside(width: 512, height: 512))
    }
}
