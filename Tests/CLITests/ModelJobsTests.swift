import Foundation
import Media
import Testing

/// End-to-end tests of render, avatar, compare and profile on the tiny config with random
/// weights, and of every bad input a user can give them. Each runs the built executable.
@Suite(.serialized)
struct ModelJobsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let source = root.appendingPathComponent("assets/astronaut-512.png").path
    static let driver = root.appendingPathComponent("assets/driver-demo.mp4").path
    static let tiny = ["--config", "tiny", "--random-weights", "3"]

    @Test func renderWritesAVideoWithTheDriversFrames() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out.mp4").path
        let r = try CLIRunner.run(["render", "--source", Self.source, "--driver", Self.driver, "--frames", "5", "-o", out, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wrote \(out): 5 frames"))
        #expect(r.stderr.contains("untrained"))
        let size = (try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        #expect(size > 1000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.mp4"], "no temporary files left")
        let driver = try VideoReader(path: Self.driver)
        let video = try VideoReader(path: out)
        #expect(video.frameRate == driver.frameRate, "the driving video's frame rate is kept")
        #expect(video.hasAudio == driver.hasAudio && driver.hasAudio, "the driving video's audio is copied")
        #expect(try video.readAll().count == 5)
        // --crop auto found the face in the 512² portrait; the 64² render is pasted back into it.
        #expect(video.width == 512 && video.height == 512)

        let silent = dir.appendingPathComponent("silent.mp4").path
        let r2 = try CLIRunner.run(["render", "--source", Self.source, "--driver", Self.driver, "--frames", "2", "--no-audio", "-o", silent, "--device", "cpu"] + Self.tiny)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try VideoReader(path: silent).hasAudio == false)
    }

    @Test func renderFromPosesWritesPNGsAndSideBySide() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let frames = dir.appendingPathComponent("frames").path + "/"
        var r = try CLIRunner.run(["render", "--source", Self.source, "--pose-sweep=-20:20", "--frames", "3", "-o", frames, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: frames).sorted() == ["frame_00001.png", "frame_00002.png", "frame_00003.png"])
        let png = dir.appendingPathComponent("one.png").path
        r = try CLIRunner.run(["render", "--source", Self.source, "--pose", "10,0,0", "--side-by-side", "-o", png, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: png))
    }

    @Test func savedAvatarRendersWithoutTheSource() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let avatar = dir.appendingPathComponent("a.safetensors").path
        var r = try CLIRunner.run(["avatar", "--source", Self.source, "-o", avatar, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        let png = dir.appendingPathComponent("f.png").path
        r = try CLIRunner.run(["render", "--avatar", avatar, "--driver", Self.source, "-o", png, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: png))
        r = try CLIRunner.run(["render", "--avatar", avatar, "--driver", Self.source, "-o", png, "--device", "cpu", "--config", "megaportraits-512", "--random-weights", "3"])
        #expect(r.status == 2, "an avatar of another config is refused")
        r = try CLIRunner.run(["render", "--avatar", avatar, "--driver", Self.source, "-o", png, "--device", "cpu", "--config", "tiny", "--random-weights", "4"])
        #expect(r.status == 2, "an avatar made with other weights is refused")
        #expect(r.stderr.contains("other weights"), "\(r.stderr)")
    }

    @Test func compareModelAgreesStageByStageAndWritesAHeatmap() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let heat = dir.appendingPathComponent("heat.png").path
        let r = try CLIRunner.run(["compare", "--source", Self.source, "--driver", Self.driver, "--frames", "1",
                                   "--a", "cpu", "--b", "opencl", "--heatmap", heat] + Self.tiny)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("PSNR"))
        #expect(r.stdout.contains("volume.canonical"))
        #expect(FileManager.default.fileExists(atPath: heat))
        let json = try CLIRunner.run(["compare", "--json", "--a", "cpu", "--b", "cpu"] + Self.tiny)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
    }

    @Test func profileReportsStagesKernelsAndATrace() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let trace = dir.appendingPathComponent("trace.json").path
        let r = try CLIRunner.run(["profile", "--frames", "1", "--trace", trace, "--json"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((object?["fps"] as? Double ?? 0) > 0)
        #expect((object?["frame_stages"] as? [Any])?.isEmpty == false)
        // The avatar pass's kernels are listed too, convolutions among them.
        let avatarKernels = (object?["avatar_kernels"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(avatarKernels.contains { $0.hasPrefix("conv") }, "avatar kernels: \(avatarKernels)")
        let traceObject = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace))) as? [String: Any]
        #expect((traceObject?["traceEvents"] as? [Any])?.isEmpty == false)
    }

    @Test func badInputsAreOneLineErrorsWithStatusTwoAndNoOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let notImage = dir.appendingPathComponent("notes.png")
        try Data("just text".utf8).write(to: notImage)
        let truncated = dir.appendingPathComponent("cut.mp4")
        try Data(contentsOf: URL(fileURLWithPath: Self.driver)).prefix(1500).write(to: truncated)
        let empty = dir.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        let out = dir.appendingPathComponent("out.mp4").path
        let cases: [([String], String)] = [
            (["--source", dir.appendingPathComponent("missing.png").path, "--driver", Self.driver, "-o", out], "no such file"),
            (["--source", notImage.path, "--driver", Self.driver, "-o", out], "notes.png: not a supported image"),
            (["--source", Self.source, "--driver", truncated.path, "-o", out], ""),
            (["--source", Self.source, "--driver", empty.path, "-o", out], ""),
            (["--source", Self.source, "--driver", Self.driver, "-o", "/nonexistent-dir/out.mp4"], "cannot write"),
            (["--source", Self.source, "--driver", Self.driver, "-o", out, "--device", "opencl:42"], "does not exist"),
            (["--source", Self.source, "--driver", Self.driver, "-o", dir.appendingPathComponent("x.avi2").path], "unknown output kind"),
        ]
        for (args, message) in cases {
            let r = try CLIRunner.run(["render", "--device", "cpu"] + Self.tiny + args)
            #expect(r.status == 2, "\(args): status \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.contains("portrait: error:"), "\(args): \(r.stderr)")
            if !message.isEmpty { #expect(r.stderr.contains(message), "\(args): \(r.stderr)") }
            #expect(!r.stderr.contains("Fatal error"), "\(args) crashed")
            #expect(!FileManager.default.fileExists(atPath: out), "\(args) left \(out)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func missingWeightsIsExplained() throws {
        let r = try CLIRunner.run(["render", "--source", Self.source, "--pose", "0,0,0", "-o", "/tmp/x.png", "--config", "tiny"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--random-weights"))
    }

    @Test func interruptedRenderRemovesItsPartialOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("long.mp4").path
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["render", "--source", Self.source, "--pose-sweep=-30:30", "--frames", "100000", "-o", out, "--device", "cpu"] + Self.tiny
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait until frames are being written, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.5)
            let partial = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            if !partial.isEmpty { Thread.sleep(forTimeInterval: 1); break }
        }
        process.interrupt()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("interrupted"))
        // Nothing at the output path; whole keyframe pieces (50 frames each) stay hidden for --resume.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        if stderr.contains("as video pieces in") {
            #expect(left == [".long.mp4.pieces"], "\(left)")
            let pieces = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".long.mp4.pieces").path)
            #expect(pieces.allSatisfy { $0.hasPrefix("frames-") || $0 == "resume.json" }, "an unfinished piece was left: \(pieces)")
        } else {
            #expect(stderr.contains("nothing was kept") && left.isEmpty, "partial output left behind: \(left) \(stderr)")
        }
    }
}
