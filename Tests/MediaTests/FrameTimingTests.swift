import Foundation
import Media
import Testing

/// Variable-frame-rate clips read at a constant rate by their timestamps: duration kept, the
/// right frames repeated or dropped, counts equal between decoding and packet counting.
struct FrameTimingTests {
    /// The grey level that marks input frame `index` (frames are told apart by it after H.264).
    static func level(_ index: Int) -> Float { Float(16 + 10 * index) / 255 }

    /// The input frame a decoded frame shows: the index whose grey level is nearest its mean.
    static func index(of image: RGBImage) -> Int {
        let mean = image.pixels.reduce(0, +) / Float(image.pixels.count)
        return Int(((mean * 255 - 16) / 10).rounded())
    }

    /// Writes flat grey frames at `ticks` (units of 1/`tickRate` s), one level per frame, with a
    /// second of audio; returns the path.
    static func clip(ticks: [Int64], tickRate: Int32, name: String) throws -> String {
        let path = TestSupport.temporaryPath(name)
        let writer = try VideoWriter(path: path, width: 32, height: 32, frameRate: try FrameRate(tickRate),
                                     options: .init(crf: 10, preset: "veryfast"))
        try writer.addAudio(monoSamples: TestSupport.tone(seconds: 1.2), sampleRate: 48_000)
        for (i, tick) in ticks.enumerated() {
            let grey = level(i)
            try writer.write(try RGBImage(width: 32, height: 32, fill: (grey, grey, grey)), at: tick)
        }
        try writer.finish()
        return path
    }

    /// 20 frames whose intervals alternate 2 and 4 ticks of 1/60 s: 30 and 15 fps, a 2× swing.
    static let swinging: [Int64] = (0..<20).map { Int64(3 * $0 - ($0 % 2)) }

    /// The input frame on display at the middle of output frame `k` at `rate`: the last one
    /// starting before `(k + ½) / rate` (timestamps in 1/`tickRate` s).
    static func expectedIndex(_ k: Int, rate: Double, ticks: [Int64], tickRate: Double) -> Int {
        let middle = (Double(k) + 0.5) / rate
        return ticks.lastIndex { Double($0) / tickRate < middle - 1e-9 } ?? 0
    }

    static func indices(_ reader: VideoReader) throws -> [Int] {
        var found: [Int] = []
        while let frame = try reader.next() { found.append(index(of: frame)) }
        return found
    }

    @Test func variableRateClipIsResampledToItsAverageRate() throws {
        let path = try Self.clip(ticks: Self.swinging, tickRate: 60, name: "vfr.mp4")
        let decoded = try VideoReader(path: path, timing: .asDecoded)
        #expect(try Self.indices(decoded) == Array(0..<20), "the clip holds every written frame once")

        let reader = try VideoReader(path: path)
        let duration = try #require(reader.duration)
        // The last frame starts at 56/60 s; the muxer gives it one to four ticks.
        #expect(duration > 56.5 / 60 && duration < 60.5 / 60, "stored duration \(duration)")
        let rate = reader.frameRate.framesPerSecond
        #expect(reader.frameRate != reader.streamFrameRate, "stated \(reader.streamFrameRate), chosen \(reader.frameRate)")
        #expect(abs(rate - 20 / duration) < 0.05, "average rate \(rate) for 20 frames in \(duration) s")
        let found = try Self.indices(reader)
        #expect(found.count == Int((duration * rate).rounded()), "\(found.count) frames for \(duration) s at \(rate) fps")
        #expect(abs(Double(found.count) / rate - duration) <= 1 / rate, "output lasts the input's duration within one frame")
        #expect(found == (0..<found.count).map { Self.expectedIndex($0, rate: rate, ticks: Self.swinging, tickRate: 60) }, "\(found)")
        #expect(reader.frameCountEstimate == found.count)
        #expect(try VideoReader.countFrames(path) == found.count)
        #expect(try VideoReader.countFrames(path, timing: .asDecoded) == 20)
    }

    @Test(arguments: [10, 30, 50] as [Int32])
    func givenRateKeepsDurationAndPicksTheFrameOnDisplay(fps: Int32) throws {
        let path = try Self.clip(ticks: Self.swinging, tickRate: 60, name: "vfr-\(fps).mp4")
        let reader = try VideoReader(path: path, timing: .constantRate(try FrameRate(fps)))
        let duration = try #require(reader.duration)
        #expect(reader.frameRate == (try FrameRate(fps)))
        let found = try Self.indices(reader)
        #expect(found.count == Int((duration * Double(fps)).rounded()))
        #expect(found == (0..<found.count).map { Self.expectedIndex($0, rate: Double(fps), ticks: Self.swinging, tickRate: 60) }, "\(found)")
        #expect(try VideoReader.countFrames(path, timing: .constantRate(try FrameRate(fps))) == found.count)
    }

    @Test func constantRateClipIsReadFrameForFrame() throws {
        let ticks = (0..<12).map { Int64($0) }
        let path = try Self.clip(ticks: ticks, tickRate: 25, name: "cfr.mp4")
        let reader = try VideoReader(path: path)
        #expect(reader.frameRate == (try FrameRate(25)) && reader.frameRate == reader.streamFrameRate)
        #expect(try Self.indices(reader) == Array(0..<12))
        #expect(try VideoReader.countFrames(path) == 12)
        // Halving the rate keeps the first of each pair (a frame starting exactly at an output
        // frame's middle belongs to the next one).
        let halved = try VideoReader(path: path, timing: .constantRate(try FrameRate(25, 2)))
        #expect(try Self.indices(halved) == [0, 2, 4, 6, 8, 10])
    }

    @Test func writerRefusesTimesThatDoNotIncrease() throws {
        let writer = try VideoWriter(path: TestSupport.temporaryPath("bad-times.mp4"), width: 16, height: 16, frameRate: try FrameRate(30))
        try writer.write(TestSupport.frame(width: 16, height: 16), at: 5)
        #expect(throws: MediaError.self) { try writer.write(TestSupport.frame(width: 16, height: 16), at: 5) }
        writer.cancel()
    }

    @Test func frameRatesParseAsUsersWriteThem() throws {
        #expect(try FrameRate(parsing: "25") == FrameRate(25))
        #expect(try FrameRate(parsing: "30000/1001") == FrameRate(30000, 1001))
        #expect(try FrameRate(parsing: "29.97") == FrameRate(30000, 1001))
        #expect(try FrameRate(parsing: "12.5") == FrameRate(25, 2))
        #expect(try FrameRate(parsing: "21.13") == FrameRate(2113, 100))
        for bad in ["0", "-5", "abc", "1/0", "30/", "2000", "nan"] {
            #expect(throws: MediaError.self, "\(bad)") { try FrameRate(parsing: bad) }
        }
    }
}
