import CMalloc
import Foundation

/// Keeps large freed host allocations for reuse instead of returning them to the kernel.
///
/// glibc serves every allocation above its mmap threshold (128 KiB, rising to at most 32 MiB) with
/// fresh pages that the kernel must fault in and zero on first touch, and unmaps them on free.
/// Every host tensor of the CPU fallback (and PoCL's buffers) is such an allocation, so
/// bandwidth-bound ops spent most of their time in page faults: nearest ×2 upsampling of
/// 512×64² ran 28–34 ms instead of 3–4 ms, a group norm of 64×32×64² 31–42 ms instead of 11 ms
/// (`portrait profile --ops --device cpu`, docs/performance.md "Host memory"). With the mmap
/// threshold and the trim threshold raised to 1 GiB, freed blocks stay in the heap and the next
/// tensor of that size reuses them. The process's resident memory then stays near its peak
/// instead of falling between frames. `PORTRAIT_MALLOC=system` keeps glibc's defaults.
public enum HostMemory {
    /// The environment variable that opts out (`PORTRAIT_MALLOC=system`).
    public static let environmentVariable = "PORTRAIT_MALLOC"

    /// Whether freed memory is kept for reuse in this process (applied on first use, once).
    public static let keepsFreedMemory: Bool = {
        guard ProcessInfo.processInfo.environment[environmentVariable] != "system" else { return false }
        return cmalloc_keep_freed_blocks(1 << 30) == 1
    }()

    /// Applies the setting (idempotent); engines call it when they are created.
    public static func configure() { _ = keepsFreedMemory }
}
