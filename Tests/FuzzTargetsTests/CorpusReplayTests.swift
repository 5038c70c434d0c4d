import Foundation
import FuzzTargets
import Testing

/// Replays every committed fuzz corpus file (Fuzz/Corpus/<target>/) and every fixed crash
/// reproducer (Fuzz/Regressions/<target>/) through the same entry point the libFuzzer targets
/// use: each must parse or throw a typed error. No sanitizer needed; takes seconds.
struct CorpusReplayTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// The files of `folder/<target>`, sorted (none when the folder is absent).
    static func inputs(_ folder: String, _ target: FuzzTarget) -> [URL] {
        let dir = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFileParsesOrThrowsATypedError(_ target: FuzzTarget) throws {
        let files = Self.inputs("Corpus", target) + Self.inputs("Regressions", target)
        #expect(files.count >= 3, "the \(target.rawValue) corpus is missing")
        var accepted = 0
        for file in files {
            let outcome = target.run(try Data(contentsOf: file))
            switch outcome {
            case .accepted: accepted += 1
            case .rejected(let message): #expect(!message.isEmpty, "\(file.lastPathComponent): empty error message")
            case .untyped(let message): Issue.record("\(target.rawValue)/\(file.lastPathComponent): \(message)")
            }
        }
        #expect(accepted >= 1, "no \(target.rawValue) seed parses: the corpus no longer reaches past the first check")
    }

    @Test func emptyAndTruncatedInputsAreRefused() {
        for target in FuzzTarget.allCases {
            guard case .rejected = target.run(Data()) else { Issue.record("\(target.rawValue) accepted empty input"); continue }
            guard let seed = Self.inputs("Corpus", target).first, let bytes = try? Data(contentsOf: seed) else { continue }
            for cut in [1, 8, bytes.count / 2] where cut < bytes.count {
                if case .untyped(let m) = target.run(bytes.prefix(cut)) { Issue.record("\(target.rawValue) cut at \(cut): \(m)") }
            }
        }
    }
}
