import Foundation
import Media

/// Runs `portrait live` with a synthetic driver fed on its standard input as a real-time
/// MPEG-TS stream (H.264, made by the project's own `LiveStreamWriter`, paced at `fps`): a
/// loopback stream without the ffmpeg program.
enum LiveFeeder {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Frames the feeder wrote before the stream ended (or the reader went away).
        let fed: Int
    }

    /// A `width × height` frame `index`: a gradient whose colours move with the index.
    static func frame(_ index: Int, width: Int, height: Int) throws -> RGBImage {
        var pixels = [Float](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = Float((x + index * 3) % width) / Float(width)
                pixels[i + 1] = Float(y) / Float(height)
                pixels[i + 2] = Float(index % 25) / 25
            }
        }
        return try RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Feeds `frames` frames at `fps` into `portrait args...` (whose `--driver` should be `-`).
    /// With `interruptAfter`, sends SIGINT (Ctrl-C) that many seconds after the start.
    /// With `url`, the stream goes there (e.g. `udp://127.0.0.1:PORT`, which `--driver` then names)
    /// after `startDelay` seconds instead of to standard input. With `clip`, its frames (looped)
    /// are streamed instead of the synthetic gradient.
    /// `outputOptions` open the stream to `url` (e.g. a listen flag). A connection to `url` is
    /// retried for 15 s while `portrait live` starts its listener.
    static func run(_ args: [String], frames: Int, fps: Int32 = 25, width: Int = 96, height: Int = 96, interruptAfter: Double? = nil,
                    url: String? = nil, outputOptions: [(String, String)] = [], startDelay: Double = 0, clip: [RGBImage] = []) throws -> Outcome {
        signal(SIGPIPE, SIG_IGN)   // the reader may stop first (an error, --frames): writes then fail instead
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = args
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read the outputs while feeding, so a chatty child never blocks on a full pipe.
        let collected = Collected()
        let readers = DispatchGroup()
        for (handle, isOut) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            readers.enter()
            Thread {
                let data = handle.readDataToEndOfFile()
                collected.set(data, isOut: isOut)
                readers.leave()
            }.start()
        }
        if let interruptAfter {
            let pid = process.processIdentifier
            Thread {
                Thread.sleep(forTimeInterval: interruptAfter)
                kill(pid, SIGINT)
            }.start()
        }
        var fed = 0
        do {
            if startDelay > 0 { Thread.sleep(forTimeInterval: startDelay) }
            let location = url.map(LiveLocation.init) ?? .descriptor(input.fileHandleForWriting.fileDescriptor)
            let (w, h) = clip.first.map { ($0.width, $0.height) } ?? (width, height)
            let writer = try connect(location, width: w, height: h, fps: fps, first: clip.first ?? (try frame(0, width: width, height: height)),
                                     options: outputOptions, retrying: url != nil)
            fed = 1
            let start = Date()
            for index in 1..<max(1, frames) {
                let due = start.addingTimeInterval(Double(index) / Double(fps))
                let wait = due.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                try writer.write(clip.isEmpty ? try frame(index, width: width, height: height) : clip[index % clip.count], at: Int64(index))
                fed += 1
            }
            try writer.finish()
        } catch {
            // The reader went away (its error is in its output) or the pipe broke.
        }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        readers.wait()
        return Outcome(status: process.terminationStatus, stdout: collected.stdout, stderr: collected.stderr, fed: fed)
    }

    /// A writer to `location` whose first frame went out; with `retrying`, a refused connection is
    /// tried again for 15 s (the listener may not be up yet).
    static func connect(_ location: LiveLocation, width: Int, height: Int, fps: Int32, first: RGBImage, options: [(String, String)],
                        retrying: Bool) throws -> LiveStreamWriter {
        let start = Date()
        while true {
            let writer = try LiveStreamWriter(location: location, width: width, height: height, frameRate: try FrameRate(fps), options: options)
            do {
                try writer.write(first, at: 0)
                return writer
            } catch let error as LiveError {
                guard case .unreachable = error, retrying, Date().timeIntervalSince(start) < 15 else { throw error }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func set(_ data: Data, isOut: Bool) { lock.lock(); if isOut { out = data } else { err = data }; lock.unlock() }
    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }
}
