import Foundation

/// Splits the rows of a picture into bands and runs them on all cores. Each band must write only
/// its own rows, so the result does not depend on the number of cores or the order bands run in.
enum ParallelRows {
    /// Calls `body` with disjoint ranges of rows covering `0..<rows`, concurrently.
    static func forEach(_ rows: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let bands = max(1, min(rows, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: bands) { b in body((b * rows / bands)..<((b + 1) * rows / bands)) }
    }
}

/// A float buffer that bands writing disjoint rows share (the caller keeps the buffer alive).
struct SharedFloats: @unchecked Sendable {
    /// The buffer's first element.
    let pointer: UnsafeMutablePointer<Float>
}
