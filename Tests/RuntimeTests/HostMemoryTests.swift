import Foundation
import Runtime
import Testing

/// `HostMemory`: the allocator setting the engines apply, and its opt-out.
struct HostMemoryTests {
    @Test("freed host memory is kept for reuse on glibc unless PORTRAIT_MALLOC=system")
    func keepsFreedMemoryOnGlibc() {
        HostMemory.configure()
        let optedOut = ProcessInfo.processInfo.environment[HostMemory.environmentVariable] == "system"
        #if os(Linux)
        #expect(HostMemory.keepsFreedMemory == !optedOut)
        #else
        #expect(!HostMemory.keepsFreedMemory)
        #endif
    }
}
