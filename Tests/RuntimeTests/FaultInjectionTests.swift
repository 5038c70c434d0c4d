import Runtime
import Testing

/// `PORTRAIT_FAULT` values: each known one parses, anything else is refused by name.
struct FaultInjectionTests {
    @Test func knownFaultsParse() throws {
        #expect(try FaultInjection.parse(nil) == nil)
        #expect(try FaultInjection.parse("") == nil)
        #expect(try FaultInjection.parse("alloc") == .allocation)
        #expect(try FaultInjection.parse("build") == .build)
        #expect(try FaultInjection.parse("device-memory:1048576") == .deviceMemory(1_048_576))
        #expect(try FaultInjection.parse("kill-after-frames:3") == .terminateAfterFrames(3))
        #expect(try FaultInjection.parse("sigkill-after-frames:0") == .killAfterFrames(0))
    }

    @Test(arguments: ["allocc", "alloc:3", "build:x", "device-memory", "device-memory:-1", "kill-after-frames:", "kill-after-frames:two"])
    func unknownFaultsAreRefused(_ value: String) {
        #expect(throws: RuntimeError.self) { try FaultInjection.parse(value) }
    }
}
