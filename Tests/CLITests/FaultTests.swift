import Foundation
import Media
import Testing

/// The `PORTRAIT_FAULT` hook end to end (docs/robustness.md): failed device allocations and
/// program builds, a process killed mid-render, and two renders racing for one output path. Each
/// must end with a clear message and exit 2 (SIGKILL excepted: nothing can print then), and never
/// leave a file at the output path that looks complete.
@Suite(.serialized)
struct FaultTests {
    static let source = ModelJobsTests.source
    static let tiny = ModelJobsTests.tiny

    /// `render` of a tiny pose sweep into `dir/out`, with `fault` set.
    static func render(_ out: String, frames: Int, fault: String?, device: String = "cpu", sweep: String = "-20:20") throws -> CLIRunner.Result {
        try CLIRunner.run(["render", "--source", source, "--pose-sweep=\(sweep)", "--frames", "\(frames)", "-o", out, "--device", device] + tiny,
                          environment: fault.map { ["PORTRAIT_FAULT": $0] } ?? [:])
    }

    static func files(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    /// Whether an OpenCL run failed for want of a device on a machine allowed to have none
    /// (`PORTRAIT_ALLOW_NO_OPENCL=1`, as the other OpenCL suites do).
    static func noDeviceAllowed(_ r: CLIRunner.Result) -> Bool {
        ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] == "1" && r.stderr.contains("no OpenCL")
    }

    @Test(arguments: ["alloc", "device-memory:300000"])
    func failedDeviceAllocationNamesTheConfigAndWhatItNeeds(_ fault: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try Self.render(dir.appendingPathComponent("out.mp4").path, frames: 3, fault: fault, device: "opencl")
        if Self.noDeviceAllowed(r) { return }
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("out of device memory"), "\(r.stderr)")
        #expect(r.stderr.contains("config 'tiny' needs about"), "\(r.stderr)")
        #expect(r.stderr.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE"))
        #expect(!r.stderr.contains("Fatal error"))
        #expect(try Self.files(dir).isEmpty, "output left behind")
    }

    @Test func failedProgramBuildIsReportedByName() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try Self.render(dir.appendingPathComponent("out.mp4").path, frames: 3, fault: "build", device: "opencl")
        if Self.noDeviceAllowed(r) { return }
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("clBuildProgram failed with CL_BUILD_PROGRAM_FAILURE"), "\(r.stderr)")
        #expect(try Self.files(dir).isEmpty, "output left behind")
    }

    @Test func unknownFaultIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try Self.render(dir.appendingPathComponent("out.png").path, frames: 1, fault: "allocc")
        #expect(r.status == 2)
        #expect(r.stderr.contains("PORTRAIT_FAULT='allocc' is not a known fault"), "\(r.stderr)")
    }

    @Test func terminatedMidRenderRemovesItsPartialOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        // No keyframe piece (50 frames at 25 fps) is finished after 3 frames: nothing to keep for --resume.
        let r = try Self.render(dir.appendingPathComponent("out.mp4").path, frames: 200, fault: "kill-after-frames:3")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("interrupted; nothing was kept (no keyframe piece was finished)"), "\(r.stderr)")
        #expect(try Self.files(dir).isEmpty, "partial output left behind")
    }

    @Test func killedMidRenderLeavesNothingAtTheOutputPath() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try Self.render(dir.appendingPathComponent("out.mp4").path, frames: 200, fault: "sigkill-after-frames:3")
        #expect(r.status == SIGKILL, "\(r.stderr)")
        let left = try Self.files(dir)
        #expect(!left.contains("out.mp4"), "a killed render left a file at the output path")
        // What SIGKILL leaves is the hidden folder of the video's pieces (for --resume), named so
        // that it cannot pass for the output.
        #expect(left == [".out.mp4.pieces"], "\(left)")
    }

    @Test func twoRendersToOnePathLeaveOneCompleteFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out.mp4").path
        let results = [(10, "-20:20"), (14, "20:-20")].map { frames, sweep in
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = ["render", "--source", Self.source, "--pose-sweep=\(sweep)", "--frames", "\(frames)", "-o", out, "--device", "cpu"] + Self.tiny
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for p in results { try p.run() }
        for p in results { p.waitUntilExit() }
        #expect(results.allSatisfy { $0.terminationStatus == 0 })
        #expect(try Self.files(dir) == ["out.mp4"], "temporary files left behind")
        // Whichever rename came last, the file is one whole video: every frame decodes.
        let frames = try VideoReader(path: out).readAll().count
        #expect(frames == 10 || frames == 14, "\(frames) frames")
    }
}
