import Foundation
import Runtime
import Testing

/// Issue 18 item 12: an OpenCL driver that is installed but cannot start (PoCL without a writable
/// kernel cache, as under `docker --user` with no home) is named with what to set, not "install
/// PoCL"; a render that falls back to the CPU says so in one line.
@Suite(.serialized) struct DeviceDiagnosisTests {
    /// A cache folder no one can create (procfs refuses new entries, even to root).
    static let unwritable = ["POCL_CACHE_DIR": "/proc/portrait-no-cache/kcache"]
    static var poclInstalled: Bool { OpenCLDiagnosis.icdFiles(environment: [:]).contains { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains("pocl") } }

    @Test("the diagnosis: no ICD, PoCL without a cache folder, a writable one")
    func diagnosis() throws {
        let dir = try CLIRunner.temporaryDirectory()
        #expect(OpenCLDiagnosis.icdFiles(environment: ["OCL_ICD_VENDORS": dir.path]).isEmpty)
        try Data("libpocl.so.2\n".utf8).write(to: dir.appendingPathComponent("pocl.icd"))
        #expect(OpenCLDiagnosis.icdFiles(environment: ["OCL_ICD_VENDORS": dir.path]) == [dir.appendingPathComponent("pocl.icd").path])
        #expect(OpenCLDiagnosis.poclCacheProblem(environment: Self.unwritable)?.folder == "/proc/portrait-no-cache/kcache")
        #expect(OpenCLDiagnosis.poclCacheProblem(environment: ["POCL_CACHE_DIR": dir.appendingPathComponent("cache").path]) == nil)
        #expect(OpenCLDiagnosis.poclCacheProblem(environment: ["HOME": "/proc/portrait-no-home"])?.folder == "/proc/portrait-no-home/.cache/pocl/kcache")
    }

    @Test("devices, render and opencl:0 with PoCL unable to write its cache: say so and what to set")
    func unusablePoCLIsExplained() throws {
        guard Self.poclInstalled else { return }   // the message under test needs an installed PoCL
        let devices = try CLIRunner.run(["devices"], environment: Self.unwritable)
        #expect(devices.status == 0 && devices.stdout.contains("PoCL lists no device") && devices.stdout.contains("POCL_CACHE_DIR"), "\(devices.stdout)")
        #expect(!devices.stdout.contains("Install pocl"), "\(devices.stdout)")
        let dir = try CLIRunner.temporaryDirectory()
        let render = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--pose", "0,0,0", "--crop", "none", "--device", "opencl",
                                        "-o", dir.appendingPathComponent("f.png").path] + ModelJobsTests.tiny, environment: Self.unwritable)
        #expect(render.status == 0, "\(render.stderr)")
        let fallback = render.stderr.split(separator: "\n").filter { $0.contains("CPU fallback") }
        #expect(fallback.count == 1 && fallback[0].contains("POCL_CACHE_DIR") && render.stderr.contains("on cpu"), "\(render.stderr)")
        let indexed = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--pose", "0,0,0", "--crop", "none", "--device", "opencl:0",
                                         "-o", dir.appendingPathComponent("g.png").path] + ModelJobsTests.tiny, environment: Self.unwritable)
        #expect(indexed.status == 2 && indexed.stderr.contains("opencl:0 is not available") && indexed.stderr.contains("POCL_CACHE_DIR"), "\(indexed.stderr)")
    }
}
