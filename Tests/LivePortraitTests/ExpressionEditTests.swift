import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// Named expression edits (`render --edit`): an empty edit is the source itself, expression
/// controls move the keypoints by scale × offsets, angle controls rotate the head.
struct ExpressionEditTests {
    static func keypoints(_ network: LivePortraitNetwork, _ source: LivePortraitSource, _ edit: ExpressionEdit) throws -> [Double] {
        var options = LivePortraitOptions()
        options.stitching = false
        return try network.drivingKeypoints(source: source, driverMotion: source.motion.edited(edit), firstDriverMotion: source.motion, options: options)
    }

    @Test("an empty edit leaves x_s; an expression edit moves x by scale · Δ; a yaw edit rotates the head")
    func editsMoveTheKeypointsAsDefined() throws {
        let (fixture, network) = (try LPFixture(), try LPTestSupport.network())
        let source = try network.makeSource(image: fixture.source)
        let s = source.motion, xs = s.keypoints
        let unchanged = try Self.keypoints(network, source, ExpressionEdit([.smile: 0, .blink: 0]))
        for (a, b) in zip(unchanged, xs) { #expect(abs(a - b) < 1e-9) }

        let edit = ExpressionEdit([.smile: 1, .eyebrow: 4, .blink: -3])
        let delta = edit.expressionOffsets(keypoints: s.keypointCount)
        #expect(delta.contains { $0 != 0 }, "the edit reaches none of the tiny model's keypoints")
        let moved = try Self.keypoints(network, source, edit)
        for i in 0..<xs.count { #expect(abs((moved[i] - xs[i]) - s.scale * delta[i]) < 1e-9, "entry \(i)") }

        let turned = try Self.keypoints(network, source, ExpressionEdit([.yaw: 12]))
        var yawed = s
        yawed.yaw -= 12  // the editor's sign: positive yaw turns to the viewer's left
        let expected = Keypoints.transform(s.canonical, rotation: yawed.rotation, expression: s.expression, scale: s.scale, translation: s.translation)
        for i in 0..<xs.count { #expect(abs(turned[i] - expected[i]) < 1e-9) }
        #expect(turned != xs)
    }

    @Test("controls at the released model's keypoints: smile lifts the mouth corners' entries the editor names")
    func smileTouchesTheMouthKeypoints() {
        let delta = ExpressionEdit([.smile: 1]).expressionOffsets(keypoints: 21)
        let touched = Set(delta.indices.filter { delta[$0] != 0 }.map { $0 / 3 })
        #expect(touched == [3, 7, 13, 14, 16, 17, 20])
        #expect(ExpressionEdit([.aaa: 10]).angleOffsets.pitch == -0.5)
        #expect(ExpressionEdit().expressionOffsets(keypoints: 21).allSatisfy { $0 == 0 })
    }

    @Test("--edit and the per-frame CSV parse, and bad input says what is wrong")
    func parsing() throws {
        let edit = try ExpressionEdit.parse("smile=0.8, blink=-5,pupil_x=3")
        #expect(edit == ExpressionEdit([.smile: 0.8, .blink: -5, .pupilX: 3]))
        for bad in ["smil=1", "smile=1,smile=2", "smile=x", "smile", "smile=nan"] {
            #expect(throws: LivePortraitError.self, "\(bad)") { _ = try ExpressionEdit.parse(bad) }
        }
        let rows = try ExpressionEditCSV.parse("smile,yaw\n0,0\n0.5,-10\n1,-20\n", source: "edits.csv")
        #expect(rows.count == 3 && rows[2] == ExpressionEdit([.smile: 1, .yaw: -20]))
        for bad in ["", "smile\n", "grin\n1\n", "smile,yaw\n1\n"] {
            #expect(throws: LivePortraitError.self, "\(bad)") { _ = try ExpressionEditCSV.parse(bad, source: "edits.csv") }
        }
    }
}
