import Foundation
import FuzzTargets

/// The body of every `LLVMFuzzerTestOneInput`: feeds the input to `target` and aborts (so
/// libFuzzer records a crash and saves the input) when the parser answers with anything but a
/// parsed value or a typed error.
public enum FuzzHarness {
    /// Runs one input; returns 0 as libFuzzer expects.
    public static func run(_ target: FuzzTarget, _ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let data = start.map { Data(bytes: $0, count: count) } ?? Data()
        if case .untyped(let message) = target.run(data) {
            fatalError("\(target.rawValue): untyped error escaped the parser: \(message)")
        }
        return 0
    }
}

/// libFuzzer's driver, called from each target's `main`: SwiftPM links executables on Linux with
/// `main` renamed to `<module>_main`, so the driver's own `main` is never linked in.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

extension FuzzHarness {
    /// Starts libFuzzer with the process arguments and `callback` as the per-input function.
    public static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
}
