import Foundation

/// The step and numbers of one of the renderer's plain progress lines, e.g.
/// `render [████░░] 3/8  1.25 fps  ETA 0:04` or `render 3  1.25 fps  0:02 elapsed`.
public struct ProgressLine: Equatable, Sendable {
    /// The step the line reports ("rendering", "finding the face", ...).
    public var stage: String
    /// Frames done (kept ones included), of `total` when known.
    public var done: Int
    public var total: Int?
    /// Frames per second so far and seconds still to go.
    public var fps: Double
    public var etaSeconds: Double?

    /// A line's numbers given directly.
    public init(stage: String, done: Int, total: Int?, fps: Double, etaSeconds: Double?) {
        self.stage = stage
        self.done = done
        self.total = total
        self.fps = fps
        self.etaSeconds = etaSeconds
    }

    /// The numbers of `line`, nil when it is not a progress line.
    public init?(_ line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let fpsIndex = words.firstIndex(of: "fps"), fpsIndex >= 2, let fps = Double(words[fpsIndex - 1]) else { return nil }
        let count = words[fpsIndex - 2]
        if let slash = count.firstIndex(of: "/") {
            guard let done = Int(count[..<slash]), let total = Int(count[count.index(after: slash)...]) else { return nil }
            self.done = done
            self.total = total
        } else {
            guard let done = Int(count) else { return nil }
            self.done = done
            self.total = nil
        }
        self.fps = fps
        stage = words[..<(fpsIndex - 2)].filter { !$0.hasPrefix("[") && !$0.hasSuffix("]") }.joined(separator: " ")
        if fpsIndex + 2 < words.count, words[fpsIndex + 1] == "ETA" { etaSeconds = Self.seconds(words[fpsIndex + 2]) }
    }

    /// `m:ss` or `h:mm:ss` in seconds.
    static func seconds(_ clock: String) -> Double? {
        let parts = clock.split(separator: ":").map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        return Double(parts.reduce(0) { $0 * 60 + ($1 ?? 0) })
    }
}
