import Foundation
import Testing

/// The `make test` subset of `make gpu-lint` (scripts/gpu-lint.sh --quick: the GPU table's
/// variant sweep on the smallest cases, each table alone on small ones): every kernel of
/// Kernels.cl under Oclgrind — out-of-bounds accesses, data races, barrier divergence, API misuse —
/// on a device cut to 256-item work-groups and 16 KiB of local memory, with the CPU and the GPU
/// variant tables, each result against the CPU reference. scripts/install-deps.sh installs
/// Oclgrind; where it is absent the test says so and checks nothing else.
@Suite(.serialized)
struct GPULintTests {
    @Test("every kernel passes Oclgrind at small shapes, both variant tables")
    func oclgrindQuickLint() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/gpu-lint.sh").path, "--quick", CLIRunner.binary.path]
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 3 {
            print("GPULintTests: skipped: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
            return
        }
        #expect(process.terminationStatus == 0, "scripts/gpu-lint.sh --quick failed:\n\(text)")
        #expect(text.contains("gpu-lint [cpu table") && text.contains("gpu-lint [gpu table"), "expected both variant tables:\n\(text)")
        #expect(text.contains("every kernel"), "expected the coverage verdict:\n\(text)")
    }
}
