import Foundation
import Kernels
import Runtime
import Testing

/// One OpenCL engine used from several threads at once (as parallel test suites and any
/// multi-threaded host do): kernel objects are shared, so argument setting and enqueue must not
/// interleave between threads.
struct ConcurrentLaunchTests {
    @Test func threadsSharingAnEngineGetTheirOwnResults() throws {
        guard let engine = TestEngines.opencl else {
            #expect(!TestEngines.openclRequired, "no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)")
            return
        }
        let threads = 4, rounds = 60, count = 4096
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let offset = Float(t + 1)
            let input = Tensor(shape: [count], values: (0..<count).map { Float($0 % 97) * 0.01 - 0.3 + offset })
            let expected = input.hostValues!.map { max($0 * 2 + offset, 0) }
            for round in 0..<rounds {
                do {
                    let shifted = try engine.scaleShift(input, alpha: 2, beta: offset)
                    let out = try engine.host(try engine.relu(shifted)).hostValues!
                    if out != expected { failures.add("thread \(t) round \(round): wrong values") ; return }
                } catch {
                    failures.add("thread \(t) round \(round): \(error)"); return
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(4))")
    }
}

/// A thread-safe list of failure messages.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ m: String) { lock.lock(); messages.append(m); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
