import Foundation
import Studio
import Testing

/// The in-process previews' cache: least recently used out, and the key that says which jobs
/// may share a framed source (every argument but the driving ones).
struct PreviewCacheTests {
    @Test("a hit returns the stored value without making it; a miss makes it; the least recently used goes first")
    func leastRecentlyUsed() {
        let cache = LRUCache<Int>(capacity: 2)
        var made = 0
        /// "N made" or "N kept": the value and whether it was there already.
        func get(_ key: String) -> String {
            let found = cache.value(for: key) { made += 1; return made }
            return "\(found.value) \(found.hit ? "kept" : "made")"
        }
        #expect(get("a") == "1 made")
        #expect(get("b") == "2 made")
        #expect(get("a") == "1 kept")           // a is now the most recently used
        #expect(get("c") == "3 made")           // full: b goes
        #expect(cache.keys == ["a", "c"])
        #expect(get("b") == "4 made")           // made again; a goes
        #expect(cache.keys == ["c", "b"])
        cache.removeAll { $0 == "c" }
        #expect(cache.keys == ["b"])
        #expect(get("c") == "5 made")
    }

    @Test("a value whose making throws is not stored")
    func failedMake() throws {
        struct Failed: Error {}
        let cache = LRUCache<String>(capacity: 2)
        #expect(throws: Failed.self) { try cache.value(for: "k") { throw Failed() } }
        #expect(cache.keys.isEmpty)
        let made = cache.value(for: "k") { "made" }
        #expect(made.value == "made" && !made.hit)
    }

    static let base = ["render", "--source", "/w/uploads/a.png", "--source-crop", "auto", "--source-face", "0", "--edit", "smile=1.0",
                       "--frames", "1", "-o", "/w/jobs/1/preview.png", "--config", "liveportrait-tiny", "--weights", "/m/lp.safetensors",
                       "--device", "cpu"]

    static func key(_ change: (inout [String]) -> Void) -> String {
        var arguments = base
        change(&arguments)
        return InProcessJob(arguments: arguments).sourceKey
    }

    static func replacing(_ option: String, with value: String) -> (inout [String]) -> Void {
        { arguments in
            if let index = arguments.firstIndex(of: option) { arguments[index + 1] = value }
        }
    }

    @Test("the source key ignores the edits, the driver, the frame count and the output, and holds the face, the crop, the source, the network and the device")
    func sourceKey() {
        let base = Self.key { _ in }
        #expect(Self.key(Self.replacing("--edit", with: "aaa=30.0,smile=0.5")) == base)
        #expect(Self.key(Self.replacing("-o", with: "/w/jobs/2/preview.png")) == base)
        #expect(Self.key(Self.replacing("--frames", with: "12")) == base)
        #expect(Self.key { $0 += ["--driver-crop", "none"] } == base)
        #expect(Self.key { a in a.removeSubrange(7...8); a += ["--driver", "/w/uploads/b.mp4"] } == base)
        for (option, value) in [("--source-face", "1"), ("--source-crop", "none"), ("--source", "/w/uploads/c.png"),
                                ("--config", "liveportrait"), ("--weights", "/m/other.safetensors"), ("--device", "opencl")] {
            #expect(Self.key(Self.replacing(option, with: value)) != base, "\(option) \(value)")
        }
        #expect(Self.key { $0.append("--absolute-motion") } != base)
        #expect(Self.key { $0 += ["--detector", "yunet"] } != base)
    }
}
