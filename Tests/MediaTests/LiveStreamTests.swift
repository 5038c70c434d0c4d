import Foundation
import Media
import Testing

/// The live-stream pieces: the newest-wins queue, the latency histogram, locations, and a
/// writer → reader round trip over a pipe.
struct LiveStreamTests {
    @Test("a full DropQueue drops its oldest item and counts it; pop delivers in order, then nil once closed")
    func dropQueueNewestWins() {
        let queue = DropQueue<Int>(capacity: 2)
        #expect(queue.push(1) == nil)
        #expect(queue.push(2) == nil)
        #expect(queue.push(3) == 1)
        #expect(queue.push(4) == 2)
        #expect(queue.dropped == 2 && queue.pushed == 4 && queue.count == 2)
        queue.close()
        #expect(queue.push(5) == 5)
        #expect(queue.dropped == 3)
        #expect(queue.pop() == 3 && queue.pop() == 4 && queue.pop() == nil && queue.isFinished)
    }

    @Test("a slow consumer sees bounded waits: every item is either consumed or counted as dropped")
    func dropQueueSlowConsumer() {
        let queue = DropQueue<Int>(capacity: 1)
        let consumed = Counter()
        let done = DispatchSemaphore(value: 0)
        Thread {
            while let item = queue.pop() {
                consumed.add(item)
                Thread.sleep(forTimeInterval: 0.01)
            }
            done.signal()
        }.start()
        for i in 0..<200 {
            queue.push(i)
            if i % 10 == 0 { Thread.sleep(forTimeInterval: 0.002) }
        }
        queue.close()
        done.wait()
        #expect(consumed.count + queue.dropped == 200)
        #expect(queue.dropped > 0)
        #expect(consumed.items == consumed.items.sorted())
        #expect(consumed.items.last == 199, "the newest item is never the one dropped")
    }

    @Test("latency histogram: mean, max and percentiles to the millisecond, in fixed memory")
    func latencyHistogram() {
        var histogram = LatencyHistogram(limitMilliseconds: 1000)
        for ms in 1...100 { histogram.record(Double(ms) / 1000 - 0.0005) }
        #expect(histogram.count == 100)
        #expect(abs(histogram.mean - 0.05) < 1e-9)
        #expect(abs(histogram.percentile(50) - 0.050) < 1e-9)
        #expect(abs(histogram.percentile(95) - 0.095) < 1e-9)
        #expect(abs(histogram.maximum - 0.0995) < 1e-9)
        histogram.record(5)   // beyond the last bin: the percentile is capped at the true maximum
        #expect(histogram.percentile(100) == 5)
    }

    @Test("locations: -, pipe:N, /dev/videoN, URLs by scheme, else files")
    func locations() {
        #expect(LiveLocation("-") == .standardStream)
        #expect(LiveLocation("pipe:7") == .descriptor(7))
        #expect(LiveLocation("/dev/video0") == .device("/dev/video0"))
        #expect(LiveLocation("udp://127.0.0.1:5000") == .network(scheme: "udp", url: "udp://127.0.0.1:5000"))
        #expect(LiveLocation("SRT://h:1") == .network(scheme: "srt", url: "SRT://h:1"))
        #expect(LiveLocation("out.mp4") == .file("out.mp4"))
        #expect(LiveLocation("-").libavName(output: true) == "pipe:1")
        #expect(!LiveLocation("out.mp4").isStream && LiveLocation("udp://x:1").isStream)
    }

    @Test("unsupported protocols are refused with the ones this build has")
    func unsupportedProtocols() {
        #expect(throws: LiveError.self) { try LiveSupport.check(LiveLocation("nosuch://x"), output: false) }
        do {
            try LiveSupport.check(LiveLocation("ftp://x/y"), output: true)
            Issue.record("ftp output accepted")
        } catch {
            #expect(error.description.contains("cannot stream to ftp://") && error.description.contains("udp"))
        }
        #expect(LiveSupport.protocols(output: false).contains("pipe"))
    }

    @Test("frames written to a pipe as MPEG-TS come back one for one, in order, at their size")
    func pipeRoundTrip() throws {
        let pipe = Pipe()
        let frames = 12
        let writerError = Box()
        let written = DispatchSemaphore(value: 0)
        let fd = pipe.fileHandleForWriting.fileDescriptor
        Thread {
            defer { try? pipe.fileHandleForWriting.close(); written.signal() }
            do {
                let writer = try LiveStreamWriter(location: .descriptor(fd), width: 96, height: 64, frameRate: try FrameRate(25))
                for i in 0..<frames {
                    try writer.write(try RGBImage(width: 96, height: 64, fill: (Float(i) / Float(frames), 0.5, 0.2)), at: Int64(i))
                }
                try writer.finish()
            } catch { writerError.set(error) }
        }.start()
        let reader = try LiveFrameSource(location: .descriptor(pipe.fileHandleForReading.fileDescriptor), timeout: 10)
        var reds: [Float] = []
        while let frame = try reader.next() {
            #expect(frame.image.width == 96 && frame.image.height == 64)
            reds.append(frame.image.pixels[0])
        }
        written.wait()
        #expect(writerError.error == nil, "\(String(describing: writerError.error))")
        #expect(reds.count == frames)
        #expect(reds == reds.sorted(), "frames in order: \(reds)")
        #expect(reader.width == 96 && reader.height == 64)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [Int] = []
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    func add(_ item: Int) { lock.lock(); items.append(item); lock.unlock() }
}

private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func set(_ error: Error) { lock.lock(); self.error = error; lock.unlock() }
}
