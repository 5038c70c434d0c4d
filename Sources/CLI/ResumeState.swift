#if canImport(Media)
import Foundation
import Media
import Runtime

/// What a render into `DIR/` or a video records before its first frame, so `render --resume` can
/// continue it after a Ctrl-C, a kill or a crash with frames identical to an uninterrupted render:
/// the command line and inputs it must be given again (checked), and what must not be drawn
/// afresh: the watermark's render id and the label's creation time.
struct ResumeState: Codable, Equatable {
    /// The file format tag.
    static let formatTag = "portraitcl-resume-1"
    var format = ResumeState.formatTag
    /// The render's arguments after `render`, without `--resume`.
    var arguments: [String]
    /// The engine the frames were rendered on (another device gives other rounding).
    var device: String
    /// Environment variables that change the frames (`PORTRAIT_VARIANTS`...), as they were.
    var environment: [String: String]
    /// Each input file named on the command line: its size and modification time.
    var inputs: [String: String]
    /// The watermark's render id (8 hex digits), nil with `--no-watermark`.
    var renderID: String?
    /// The label's creation time (seconds since 1970).
    var created: Double
    /// The video's keyframe interval (pieces start on multiples of it); nil for `DIR/`.
    var keyframeInterval: Int?

    /// The environment variables recorded and checked.
    static let checkedEnvironment = ["PORTRAIT_VARIANTS", "PORTRAIT_DEVICE", "PORTRAIT_VALIDATE"]

    /// The state of this process's render: `arguments` as given (`--resume` is dropped), the
    /// files among them (but the `output`) described by size and time.
    init(arguments: [String], output: String, device: String, renderID: String?, created: Date, keyframeInterval: Int?,
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.arguments = arguments.filter { $0 != "--resume" }
        self.device = device
        self.environment = environment.filter { Self.checkedEnvironment.contains($0.key) }
        self.inputs = Self.describeFiles(in: self.arguments.filter { $0 != output })
        self.renderID = renderID
        self.created = created.timeIntervalSince1970
        self.keyframeInterval = keyframeInterval
    }

    /// Reads the state at `path`; nil when there is none.
    static func load(_ path: String) throws -> ResumeState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MediaError.cannotWrite(path: path, reason: "cannot read the resume state; remove it to start over")
        }
        do {
            let state = try JSONDecoder().decode(ResumeState.self, from: data)
            guard state.format == formatTag else { throw MediaError.corrupt(path: path, reason: "format '\(state.format)', not '\(formatTag)'") }
            return state
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError.corrupt(path: path, reason: "not a resume state; remove it to start the render over")
        }
    }

    /// Writes the state atomically.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(self), to: URL(fileURLWithPath: path))
    }

    /// Throws unless `current` (this run) would render the same frames as this saved state: the
    /// same arguments, device, environment and unchanged input files. The message names what differs.
    func check(against current: ResumeState, output: String) throws {
        var differences: [String] = []
        if arguments != current.arguments {
            let before = Set(arguments), now = Set(current.arguments)
            let removed = arguments.filter { !now.contains($0) }, added = current.arguments.filter { !before.contains($0) }
            differences.append(removed.isEmpty && added.isEmpty
                ? "the arguments are in another order"
                : "the arguments differ (then: \(removed.joined(separator: " ")); now: \(added.joined(separator: " ")))")
        }
        if device != current.device { differences.append("the device differs (then \(device), now \(current.device))") }
        if environment != current.environment { differences.append("\(Self.checkedEnvironment.joined(separator: "/")) differ") }
        for (file, was) in inputs.sorted(by: { $0.key < $1.key }) where current.inputs[file] != was {
            differences.append("\(file) changed since")
        }
        guard differences.isEmpty else {
            throw ResumeError.mismatch(output: output, differences: differences)
        }
    }

    /// Size and modification time of every argument that names an existing file.
    private static func describeFiles(in arguments: [String]) -> [String: String] {
        var files: [String: String] = [:]
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), !isFolder.boolValue,
                  let attributes = try? FileManager.default.attributesOfItem(atPath: argument) else { continue }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            files[argument] = "\(size) bytes, modified \(String(format: "%.6f", time))"
        }
        return files
    }
}

/// Why a render cannot be resumed.
enum ResumeError: Error, CustomStringConvertible {
    /// The saved render was made otherwise than this command asks.
    case mismatch(output: String, differences: [String])
    /// `--resume` with an output that cannot be continued.
    case unsupported(String)
    /// Another running render holds the output's store.
    case busy(String)

    var description: String {
        switch self {
        case .mismatch(let output, let differences):
            return "cannot resume the render into \(output): \(differences.joined(separator: "; ")); give the same command as the interrupted render, or leave out --resume to start over"
        case .unsupported(let why): return why
        case .busy(let folder): return "another render is writing \(folder) now; wait for it to end (two renders into one output would mix their frames)"
        }
    }
}
#endif
