import Foundation
import Media
import Testing

/// `render --faces all` (issue 19, item 7): every face of a group photo animated by the one driver
/// and pasted back into one picture; `avatar` refuses it.
@Suite(.serialized) struct AllFacesTests {
    /// Each "source face I of N at x,y,size" line of a `--faces all` render, in order.
    static func faceCrops(_ stderr: String) -> [SquareCrop] {
        stderr.split(separator: "\n").filter { $0.contains("source face") && $0.contains(" of ") }.compactMap { line in
            guard let at = line.range(of: " at ") else { return nil }
            let n = line[at.upperBound...].split(separator: " ")[0].split(separator: ",").compactMap { Int($0) }
            return n.count == 3 ? SquareCrop(x: n[0], y: n[1], size: n[2]) : nil
        }
    }

    /// Whether pixel (x, y) lies in `crop`.
    static func inside(_ crop: SquareCrop, _ x: Int, _ y: Int) -> Bool {
        x >= crop.x && x < crop.x + crop.size && y >= crop.y && y < crop.y + crop.size
    }

    /// `crop` widened by `share` of its side on every side (a crop cut turned by a few degrees
    /// reaches a little beyond its axis-aligned square).
    static func widened(_ crop: SquareCrop, by share: Double) -> SquareCrop {
        let margin = Int((Double(crop.size) * share).rounded(.up))
        return SquareCrop(x: crop.x - margin, y: crop.y - margin, size: crop.size + 2 * margin)
    }

    @Test("LivePortrait, CPU: each face of a group photo changes and equals its one-face render (--source-face I) outside the other face's crop")
    func everyFaceEqualsItsOneFaceRender() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try SeparateFramingTests.groupPhoto(in: dir)
        let driver = try LivePortraitCLITests.smallPicture(in: dir, name: "driver.png", crop: SquareCrop(x: 60, y: 10, size: 420))
        let common = ["render", "--source", group, "--driver", driver, "--driver-crop", "none", "--no-watermark", "--device", "cpu"] + LivePortraitCLITests.model
        let allPath = dir.appendingPathComponent("all.png").path
        let r = try CLIRunner.run(common + ["--faces", "all", "-o", allPath])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(faces: 2)"), "\(r.stdout)")
        let crops = Self.faceCrops(r.stderr)
        try #require(crops.count == 2, "\(r.stderr)")
        let original = try PNGCodec.read(group), all = try PNGCodec.read(allPath)
        #expect(all.width == original.width && all.height == original.height)
        for (index, crop) in crops.enumerated() {
            let onePath = dir.appendingPathComponent("one\(index).png").path
            let one = try CLIRunner.run(common + ["--source-face", "\(index)", "-o", onePath])
            #expect(one.status == 0, "\(one.stderr)")
            let single = try PNGCodec.read(onePath)
            // LivePortrait's source crops are cut turned by the face's roll (a few degrees here).
            let other = Self.widened(crops[1 - index], by: 0.06)
            var changed = 0, differing = 0, outsideChanged = 0
            for y in 0..<all.height {
                for x in 0..<all.width {
                    let inOther = Self.inside(other, x, y), inThis = Self.inside(Self.widened(crop, by: 0.06), x, y)
                    if inThis && all[x, y] != original[x, y] { changed += 1 }
                    if !inOther && all[x, y] != single[x, y] { differing += 1 }
                    if !inOther && !inThis && all[x, y] != original[x, y] { outsideChanged += 1 }
                }
            }
            #expect(changed > crop.size * crop.size / 4, "face \(index) at \(crop): only \(changed) pixels changed")
            #expect(differing == 0, "face \(index): \(differing) pixels differ from the --source-face \(index) render outside face \(1 - index)'s crop")
            #expect(outsideChanged == 0, "\(outsideChanged) pixels changed outside both faces' crops")
        }
    }

    @Test("MegaPortraits, OpenCL: a driving clip animates every face into a video of the group photo's size")
    func videoOfAllFaces() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try SeparateFramingTests.groupPhoto(in: dir), clip = try FaceCropRenderTests.clip(in: dir, frames: 2)
        let out = dir.appendingPathComponent("all.mp4").path
        let r = try CLIRunner.run(["render", "--source", group, "--driver", clip, "--faces", "all", "-o", out] + FaceCropRenderTests.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.faceCrops(r.stderr).count == 2 && r.stdout.contains("2 frames (faces: 2)"), "\(r.stdout)\(r.stderr)")
        let video = try VideoReader(path: out)
        #expect(video.width == 960 && video.height == 540)
        #expect(try video.readAll().count == 2)
    }

    @Test("what --faces all cannot honour is an exit-2 error before any work")
    func refusals() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try SeparateFramingTests.groupPhoto(in: dir)
        let model = LivePortraitCLITests.model + ["--device", "cpu"]
        let png = dir.appendingPathComponent("x.png").path
        try LivePortraitCLITests.expectError(["avatar", "--source", group, "--faces", "all", "-o", dir.appendingPathComponent("a.safetensors").path] + model,
                                             ["an avatar file holds one face", "--source-face"])
        try LivePortraitCLITests.expectError(["render", "--source", group, "--pose", "0,0,0", "--faces", "all", "--source-face", "1", "-o", png] + model,
                                             ["--faces all animates every face"], out: png)
        try LivePortraitCLITests.expectError(["render", "--source", group, "--pose", "0,0,0", "--faces", "all", "--crop", "none", "-o", png] + model,
                                             ["auto framing"], out: png)
        try LivePortraitCLITests.expectError(["render", "--source", group, "--pose", "0,0,0", "--faces", "all", "--no-paste-back", "-o", png] + model,
                                             ["--no-paste-back"], out: png)
        let tensor = dir.appendingPathComponent("x.safetensors").path
        try LivePortraitCLITests.expectError(["render", "--source", group, "--pose", "0,0,0", "--faces", "all", "-o", tensor] + model,
                                             [".safetensors output is one face's"], out: tensor)
        try LivePortraitCLITests.expectError(["render", "--source", group, "--pose", "0,0,0", "--faces", "all", "--side-by-side", "-o", png] + model,
                                             ["--faces all does not take --side-by-side"], out: png)
    }
}
