import Foundation

/// How a clip is cut into shards, and what their segment files are called.
public enum ShardMath {
    /// Frames `[start, end)` of piece `index` of `count` in a clip of `frames` frames cut on
    /// multiples of `interval` (each piece gets whole keyframe runs; later pieces may be empty).
    public static func range(index: Int, count: Int, frames: Int, interval: Int) -> Range<Int> {
        let runs = (frames + interval - 1) / interval
        let first = index * runs / count, last = (index + 1) * runs / count
        return min(first * interval, frames)..<min(last * interval, frames)
    }

    /// The segment file of piece `index` of `count` for the output `path`: `out.mp4` →
    /// `out.part-002-of-008.mp4` (at least three digits, so the names sort in order).
    public static func segmentPath(_ path: String, index: Int, count: Int) -> String {
        let ext = (path as NSString).pathExtension
        let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        let width = max(3, String(count).count)
        func padded(_ v: Int) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        return "\(stem).part-\(padded(index))-of-\(padded(count))" + (ext.isEmpty ? "" : ".\(ext)")
    }
}
