import FuzzHarness
import FuzzTargets

/// libFuzzer's per-input function for the `video` parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzHarness.run(.video, start, count)
}

/// The process entry (SwiftPM's name for this target's `main`): hands over to libFuzzer.
@_cdecl("fuzz_video_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzHarness.main(argc, argv, fuzzOneInput)
}
