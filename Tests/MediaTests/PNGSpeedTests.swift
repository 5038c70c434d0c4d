import Foundation
import Media
import Testing

/// Rendered frames are written as PNGs with a fast setting (zlib level 2, the Paeth filter): the
/// picture must come back exactly, and the file must stay close to libpng's default size.
struct PNGSpeedTests {
    /// CPU seconds this thread spends in `body`.
    static func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
    }

    @Test func fastPNGIsExactAndStaysSmall() throws {
        // The bundled portrait at 725² (the size the slow writes were reported at).
        let photo = try PNGCodec.read(DemoAssetsTests.portrait).resized(width: 725, height: 725, filter: .bicubic)
        var standard = Data(), fast = Data()
        let standardSeconds = try Self.cpuSeconds { standard = try PNGCodec.encode(photo, compression: .standard) }
        let fastSeconds = try Self.cpuSeconds { fast = try PNGCodec.encode(photo, compression: .fast) }
        #expect(fastSeconds < standardSeconds, "fast \(fastSeconds) s, standard \(standardSeconds) s of CPU")
        print(String(format: "PNG 725²: standard %.3f s CPU, %d bytes; fast %.3f s CPU, %d bytes", standardSeconds, standard.count, fastSeconds, fast.count))
        let back = try PNGCodec.decode(fast)
        #expect(back.rgbBytes() == photo.rgbBytes())
        #expect(try PNGCodec.decode(standard).rgbBytes() == photo.rgbBytes())
        #expect(Double(fast.count) < 1.25 * Double(standard.count), "fast \(fast.count) bytes, standard \(standard.count)")
    }
}
