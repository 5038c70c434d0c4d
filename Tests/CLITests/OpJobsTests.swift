import Foundation
import Runtime
import Testing

/// End-to-end tests of `portrait devices`, `op`, `compare --ops` and `profile --ops`.
@Suite(.serialized)
struct OpJobsTests {
    @Test func devicesListsTheCPUFallbackAndExitsZero() throws {
        let r = try CLIRunner.run(["devices"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("cpu"))
        let json = try CLIRunner.run(["devices", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["devices"] is [Any])
    }

    @Test func devicesVerbosePrintsTheVariantTableAndRejectsBadOverrides() throws {
        let r = try CLIRunner.run(["devices", "--verbose"], environment: ["PORTRAIT_VARIANTS": "conv.tile=8x8"])
        #expect(r.status == 0, "\(r.stderr)")
        if r.stdout.contains("opencl:0") {
            #expect(r.stdout.contains("conv.tile") && r.stdout.contains("8x8*") && r.stdout.contains("norm.reduce"), "\(r.stdout)")
            let json = try CLIRunner.run(["devices", "--json", "--verbose"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let first = (object?["devices"] as? [[String: Any]])?.first
            #expect((first?["variants"] as? [String: String])?["conv.tile"] != nil, "\(json.stdout)")
        }
        let bad = try CLIRunner.run(["devices", "--verbose"], environment: ["PORTRAIT_VARIANTS": "conv.tile=9x9"])
        #expect(bad.status == 2 && bad.stderr.contains("conv.tile=9x9") && bad.stdout.isEmpty, "\(bad.stderr)")
        let unknown = try CLIRunner.run(["compare", "--ops", "--only", "relu"], environment: ["PORTRAIT_VARIANTS": "tile=8x8"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown key 'tile'"), "\(unknown.stderr)")
    }

    @Test func compareAllVariantsRunsEachOverride() throws {
        let r = try CLIRunner.run(["compare", "--ops", "--all-variants", "--only", "group_norm", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let variants = Set(((object?["cases"] as? [[String: Any]]) ?? []).compactMap { $0["variant"] as? String })
        #expect(variants.contains { $0.hasPrefix("norm.") }, "\(variants)")
    }

    @Test func opRunsAFixtureAndWritesOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let input = CLIRunner.fixtures.appendingPathComponent("ops/elementwise-leaky_relu.safetensors").path
        let out = dir.appendingPathComponent("out.safetensors").path
        let r = try CLIRunner.run(["op", "leaky_relu", "--inputs", input, "--param", "negative_slope=0.2", "--device", "cpu", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try SafeTensorsFile(path: input).tensor("output").hostValues!
        let actual = try SafeTensorsFile(path: out).tensor("output").hostValues!
        #expect(actual.count == expected.count)
        #expect(zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func badOpInvocationsExitTwoWithAMessage() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let input = CLIRunner.fixtures.appendingPathComponent("ops/elementwise-relu.safetensors").path
        let out = dir.appendingPathComponent("o.safetensors").path
        let cases: [([String], String)] = [
            (["op", "no_such_op", "--inputs", input, "--out", out], "unknown op"),
            (["op", "relu", "--inputs", dir.appendingPathComponent("missing.safetensors").path, "--out", out], "no such file"),
            (["op", "relu", "--inputs", input, "--param", "stride=2", "--out", out], "takes no argument"),
            (["op", "relu", "--inputs", input, "--out", out, "--device", "opencl:99"], "does not exist"),
            (["op", "relu", "--inputs", input, "--out", out, "--device", "cuda"], "unknown device"),
        ]
        for (args, message) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): status \(r.status)")
            #expect(r.stderr.contains(message), "\(args): stderr was \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func notASafetensorsFileIsAClearError() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let bogus = dir.appendingPathComponent("bogus.safetensors")
        try Data("this is not a tensor file at all".utf8).write(to: bogus)
        let r = try CLIRunner.run(["op", "relu", "--inputs", bogus.path, "--out", dir.appendingPathComponent("o.safetensors").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a valid safetensors file"))
    }

    @Test func compareOpsPassesOnTheDefaultDeviceAndEmitsJSON() throws {
        let r = try CLIRunner.run(["compare", "--ops", "--only", "relu,add", "--json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
        #expect((object?["cases"] as? [Any])?.count ?? 0 >= 3)
    }

    @Test func profileOpsPrintsATable() throws {
        let r = try CLIRunner.run(["profile", "--ops", "--only", "relu", "--repeat", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("GFLOP/s"))
        #expect(r.stdout.contains("relu"))
    }

    @Test func noOpenCLPlatformFallsBackToTheCPUWithOneLine() throws {
        // An empty vendor directory hides every ICD from the loader.
        let empty = try CLIRunner.temporaryDirectory()
        let r = try CLIRunner.run(["compare", "--ops", "--only", "relu"], environment: ["OCL_ICD_VENDORS": empty.path, "OPENCL_VENDOR_PATH": empty.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("no OpenCL device found; running on the CPU fallback"))
        #expect(r.stdout.contains("vs cpu"))
    }
}
