import Foundation
import Media
import Runtime
import Testing

/// A face near the picture's edge keeps its full framing with YuNet's fitted rule (the crop is
/// padded black beyond the edge), and only the crop's part inside the picture is pasted back
/// (issue 18, item 5). The default framing (MediaPipe) shrinks such a crop as the official code
/// does: `DefaultDetectorTests.edgeCropIsShrunkAsOfficial`.
@Suite(.serialized) struct EdgeFaceRenderTests {
    static let model = FaceCropRenderTests.model

    /// A 640×480 picture with the portrait (300 px) at (x, 90).
    static func picture(in dir: URL, x: Int, name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let canvas = try RGBImage(width: 640, height: 480, fill: (0.3, 0.35, 0.4))
        try PNGCodec.write(FaceCropRenderTests.paste(try FaceCropRenderTests.portrait(300), x: x, y: 90, onto: canvas), to: path)
        return path
    }

    @Test("--detector yunet: the portrait shifted partly out of the picture gets a crop of the same size as centred, padded black, pasted back inside only")
    func edgeFaceKeepsItsFraming() throws {
        let dir = try CLIRunner.temporaryDirectory()
        var crops: [SquareCrop] = []
        for (x, name) in [(170, "centre.png"), (-70, "edge.png")] {
            let source = try Self.picture(in: dir, x: x, name: name)
            let out = dir.appendingPathComponent("out-" + name).path
            let stages = dir.appendingPathComponent("stages-\(name).safetensors").path
            let r = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "--detector", "yunet", "--no-watermark", "--stages", stages, "-o", out] + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            let crop = try #require(SeparateFramingTests.sourceCrop(r.stderr), "\(r.stderr)")
            crops.append(crop)
            let original = try PNGCodec.read(source), rendered = try PNGCodec.read(out)
            #expect(rendered.width == 640 && rendered.height == 480)
            // Outside the crop's in-picture part: the source, exactly; inside: the render.
            let part = try #require(crop.visiblePart(width: 640, height: 480))
            var changedOutside = 0, changedInside = 0
            for y in stride(from: 0, to: 480, by: 2) {
                for x in stride(from: 0, to: 640, by: 2) {
                    let inside = (part.x..<(part.x + part.width)).contains(x) && (part.y..<(part.y + part.height)).contains(y)
                    if rendered[x, y] != original[x, y] { if inside { changedInside += 1 } else { changedOutside += 1 } }
                }
            }
            #expect(changedOutside == 0 && changedInside > part.width * part.height / 8, "\(name): \(changedOutside) outside, \(changedInside) inside")
            if x < 0 {
                // The crop reaches beyond the left edge; the model's input is black there.
                #expect(crop.x < -10, "\(crop)")
                let input = try SafeTensorsFile(path: stages).tensor("source.image")
                let (side, values) = (input.shape[3], try #require(input.hostValues))
                let blackColumns = (-crop.x * side / crop.size) - 2
                #expect(blackColumns >= 1)
                for c in 0..<3 { for y in 0..<side { for x in 0..<blackColumns {
                    #expect(values[(c * side + y) * side + x] == 0)
                } } }
            }
        }
        guard crops.count == 2 else { return }
        // The same face, the same framing: side within 3 %, the same offset from the portrait's corner
        // within 5 % of the side (the detector sees the cut picture a little differently: measured
        // 270 and 264 px, 8 px apart; the old shrinking gave the edge face a 158 px crop at x = 0).
        #expect(abs(Double(crops[1].size) / Double(crops[0].size) - 1) < 0.03, "centred \(crops[0]), at the edge \(crops[1])")
        let tolerance = crops[0].size / 20
        #expect(abs((crops[1].x + 70) - (crops[0].x - 170)) <= tolerance && abs(crops[1].y - crops[0].y) <= tolerance,
                "centred \(crops[0]), at the edge \(crops[1])")
    }

    @Test("--crop x,y,size may reach beyond the picture (negative corner, side past the far edge); wholly outside is an error")
    func handCropBeyondThePicture() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.picture(in: dir, x: 170, name: "s.png")
        let out = dir.appendingPathComponent("o.png").path
        let r = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "--crop=-60,-80,720", "--no-watermark", "-o", out] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        let rendered = try PNGCodec.read(out)
        #expect(rendered.width == 640 && rendered.height == 480, "pasted back at the source's size")
        let missing = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "--crop", "700,10,100", "-o", dir.appendingPathComponent("m.png").path] + Self.model)
        #expect(missing.status == 2 && missing.stderr.contains("wholly outside"), "\(missing.stderr)")
    }
}
