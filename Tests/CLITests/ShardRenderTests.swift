import Foundation
import Media
import Testing

/// Sharded renders: `plan`, `render --shard`, `merge`, checked against a one-machine render.
@Suite(.serialized) struct ShardRenderTests {
    /// A 1280×720 clip of `frames` frames at 25 fps with a tone, the face drifting.
    static func clip(in dir: URL, frames: Int) throws -> String {
        let path = dir.appendingPathComponent("clip.mp4").path
        let writer = try VideoWriter(path: path, width: 1280, height: 720, frameRate: try FrameRate(25), options: .init(crf: 12))
        try writer.addAudio(monoSamples: (0..<(44100 * frames / 25)).map { sin(Float($0) * 0.05) * 0.3 }, sampleRate: 44100)
        let face = try FaceCropRenderTests.portrait(280)
        let background = try RGBImage(width: 1280, height: 720, fill: (0.2, 0.2, 0.2))
        for i in 0..<frames { try writer.write(FaceCropRenderTests.paste(face, x: 300 + 7 * i, y: 200 + 3 * i, onto: background)) }
        try writer.finish()
        return path
    }

    /// Every decoded frame's pixels (8-bit RGB from the decoder, as floats).
    static func decoded(_ path: String) throws -> [[Float]] {
        try VideoReader(path: path).readAll().map(\.pixels)
    }

    @Test("1, 2 and 3 shards merge into the frames of a one-machine render, bit for bit, with the driver's audio")
    func shardsMergeBitIdentically() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try FaceCropRenderTests.source(in: dir), clip = try Self.clip(in: dir, frames: 10)
        let plan = dir.appendingPathComponent("plan.json").path
        let p = try CLIRunner.run(["plan", "--driver", clip, "--keyframe-interval", "3", "--device", "opencl", "-o", plan])
        #expect(p.status == 0 && p.stdout.contains("10 frames"), "\(p.stdout)\(p.stderr)")
        let model = ["--source", source, "--driver", clip, "--plan", plan] + FaceCropRenderTests.model
        let whole = dir.appendingPathComponent("whole.mp4").path
        let w = try CLIRunner.run(["render", "-o", whole] + model)
        #expect(w.status == 0, "\(w.stderr)")
        let reference = try Self.decoded(whole)
        #expect(reference.count == 10)
        for count in [1, 2, 3] {
            let out = dir.appendingPathComponent("s\(count).mp4").path
            var segments: [String] = []
            for index in 0..<count {
                let r = try CLIRunner.run(["render", "--shard", "\(index)/\(count)", "-o", out] + model)
                #expect(r.status == 0, "\(r.stderr)")
                segments.append(dir.appendingPathComponent("s\(count).part-00\(index)-of-00\(count).mp4").path)
            }
            let merged = dir.appendingPathComponent("merged\(count).mp4").path
            let m = try CLIRunner.run(["merge"] + segments.reversed() + ["--plan", plan, "-o", merged])
            #expect(m.status == 0 && m.stdout.contains("10 frames") && m.stdout.contains("with audio"), "\(m.stdout)\(m.stderr)")
            #expect(try Self.decoded(merged) == reference, "\(count) shards: decoded frames differ from the one-machine render")
            #expect(try VideoReader(path: merged).hasAudio)
        }
        // The environment gives the index (Kubernetes), and a missing shard is named at merge time.
        let k8s = try CLIRunner.run(["render", "--shards", "3", "-o", dir.appendingPathComponent("k.mp4").path] + model,
                                    environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(k8s.status == 0 && k8s.stderr.contains("shard 1/3: frames 3..<6"), "\(k8s.stderr)")
        let gap = try CLIRunner.run(["merge", dir.appendingPathComponent("s3.part-000-of-003.mp4").path,
                                     dir.appendingPathComponent("s3.part-002-of-003.mp4").path, "-o", dir.appendingPathComponent("g.mp4").path])
        #expect(gap.status == 2 && gap.stderr.contains("frames 3..<6 are missing"), "\(gap.stderr)")
        // A piece of another render (another plan: another watermark id) is refused.
        let otherPlan = dir.appendingPathComponent("other.json").path
        #expect(try CLIRunner.run(["plan", "--driver", clip, "--keyframe-interval", "3", "--device", "opencl", "-o", otherPlan]).status == 0)
        let other = try CLIRunner.run(["render", "--shard", "1/3", "-o", dir.appendingPathComponent("o.mp4").path, "--source", source, "--driver", clip,
                                       "--plan", otherPlan] + FaceCropRenderTests.model)
        #expect(other.status == 0, "\(other.stderr)")
        let mixed = try CLIRunner.run(["merge", dir.appendingPathComponent("s3.part-000-of-003.mp4").path, dir.appendingPathComponent("o.part-001-of-003.mp4").path,
                                       dir.appendingPathComponent("s3.part-002-of-003.mp4").path, "-o", dir.appendingPathComponent("mixed.mp4").path])
        #expect(mixed.status == 2 && mixed.stderr.contains("comes from another render") && mixed.stderr.contains("watermark"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("g.mp4").path))
    }

    @Test("shard ranges cover the clip once, cut on keyframe runs; names and bad shard specs")
    func rangesAndErrors() throws {
        for (frames, interval, count) in [(10, 3, 3), (100, 50, 3), (7, 2, 7), (1, 4, 2)] {
            let ranges = (0..<count).map { ShardMath.range(index: $0, count: count, frames: frames, interval: interval) }
            #expect(ranges.map(\.count).reduce(0, +) == frames)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(ranges.allSatisfy { $0.isEmpty || $0.lowerBound % interval == 0 })
        }
        let dir = try CLIRunner.temporaryDirectory()
        let bad = try CLIRunner.run(["render", "--pose", "0,0,0", "--source", try FaceCropRenderTests.source(in: dir), "--shard", "3/3",
                                     "-o", dir.appendingPathComponent("x.mp4").path] + FaceCropRenderTests.model)
        #expect(bad.status != 0 && bad.stderr.contains("--shard expects I/N"), "\(bad.stderr)")
        let noPlan = try CLIRunner.run(["render", "--driver", try Self.clip(in: dir, frames: 2), "--source", try FaceCropRenderTests.source(in: dir),
                                        "--shard", "0/2", "-o", dir.appendingPathComponent("y.mp4").path] + FaceCropRenderTests.model)
        #expect(noPlan.status == 2 && noPlan.stderr.contains("portrait plan"), "\(noPlan.stderr)")
    }
}
