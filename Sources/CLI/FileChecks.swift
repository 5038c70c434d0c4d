import Foundation

/// A file a command reads or writes, with the option that named it (`--weights`, `-o`, `FILE`).
struct FileArgument {
    /// What the command expects at the path (for the advice an error gives).
    enum Expectation: Equatable {
        /// A file of the command's own kind.
        case file
        /// A network's weights in safetensors (a PyTorch checkpoint is explained).
        case weights(ModelFamily)
        /// BiSeNet face-parsing weights in safetensors.
        case faceParsingWeights
        /// A saved source from `portrait avatar`.
        case avatar
    }

    /// The option as the user typed it.
    let option: String
    /// The path given.
    let path: String
    /// What is expected there (inputs only).
    var expectation: Expectation = .file
}

/// A command whose files are checked before it does any work: every input exists and is a file,
/// no output is (or links to) an input or another output, and `preflight` runs the command's own
/// early checks (output kind, plan binding...). `Portrait.main` calls `FileChecks.run` on every
/// command that conforms, before `run()`.
protocol ChecksFilesFirst {
    /// Every input file given on the command line.
    var inputFiles: [FileArgument] { get }
    /// Every file or folder the command writes.
    var outputFiles: [FileArgument] { get }
    /// The command's own checks that need no decoding and no network (default: none).
    func preflight() throws
}

extension ChecksFilesFirst {
    func preflight() throws {}
}

/// The shared checks of `ChecksFilesFirst`.
enum FileChecks {
    /// Checks `command`'s inputs, then that no output overwrites an input or another output,
    /// then its `preflight`.
    static func run(_ command: ChecksFilesFirst) throws {
        let inputs = command.inputFiles, outputs = command.outputFiles
        for input in inputs { try checkInput(input) }
        for output in outputs {
            for input in inputs {
                if let relation = overlap(output: output.path, input: input.path) {
                    throw FileArgumentError.overwritesInput(output: output, input: input, relation: relation)
                }
            }
        }
        for (i, a) in outputs.enumerated() {
            for b in outputs.dropFirst(i + 1) where sameTarget(a.path, b.path) {
                throw FileArgumentError.sameOutput(a, b)
            }
        }
        try command.preflight()
    }

    /// Throws unless `input` names a readable regular file (a folder, a missing path and a
    /// PyTorch checkpoint given as weights are explained).
    static func checkInput(_ input: FileArgument) throws {
        guard !input.path.isEmpty else { throw FileArgumentError.empty(input) }
        var info = stat()
        guard stat(input.path, &info) == 0 else { throw FileArgumentError.missing(input) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileArgumentError.folder(input) }
        guard access(input.path, R_OK) == 0 else { throw FileArgumentError.unreadable(input) }
        switch input.expectation {
        case .weights, .faceParsingWeights:
            if PyTorchCheckpoint.looksLikeOne(input.path) { throw FileArgumentError.pytorchCheckpoint(input) }
        case .file, .avatar:
            break
        }
    }

    /// The device and inode of the file at `path` (symbolic links followed), or nil.
    static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// How writing `output` would destroy `input`, or nil when it would not: the same file
    /// (also through a symbolic or hard link), or the folder of numbered PNGs it is one of.
    static func overlap(output: String, input: String) -> FileArgumentError.Relation? {
        guard let inputID = identity(input) else { return nil }
        if let outputID = identity(output) {
            if outputID == inputID {
                var link = stat()
                if lstat(output, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK { return .symbolicLink }
                if lstat(input, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK { return .symbolicLink }
                return canonical(output) == canonical(input) ? .same : .hardLink
            }
            var info = stat()
            if stat(output, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
               let folder = identity((input as NSString).deletingLastPathComponent.isEmpty ? "." : (input as NSString).deletingLastPathComponent),
               folder == outputID, isNumberedFrame((input as NSString).lastPathComponent) {
                return .frameInFolder
            }
        }
        return nil
    }

    /// Whether two outputs name the same file (existing or not).
    static func sameTarget(_ a: String, _ b: String) -> Bool {
        if let x = identity(a), let y = identity(b) { return x == y }
        return canonical(a) == canonical(b)
    }

    /// `path` made absolute, with `.`/`..` and symbolic links of its existing part resolved.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether `name` is a frame a `DIR/` render writes (`frame_00001.png`).
    static func isNumberedFrame(_ name: String) -> Bool {
        name.hasPrefix("frame_") && name.hasSuffix(".png") && name.dropFirst(6).dropLast(4).allSatisfy(\.isNumber)
    }
}

/// What a PyTorch checkpoint looks like: its extension, or its bytes (a zip archive, the format
/// `torch.save` writes since 1.6, or a pickle stream, the legacy format).
enum PyTorchCheckpoint {
    /// Whether the file at `path` is a PyTorch checkpoint rather than safetensors.
    static func looksLikeOne(_ path: String) -> Bool {
        if ["pth", "pt", "ckpt", "tar", "bin", "pkl"].contains((path as NSString).pathExtension.lowercased()) { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 4))
        return head == [0x50, 0x4B, 0x03, 0x04] || (head.count >= 2 && head[0] == 0x80 && (2...5).contains(head[1]))
    }
}

/// An input or output path the command cannot use, found before any work.
enum FileArgumentError: Error, CustomStringConvertible {
    /// How an output would overwrite an input.
    enum Relation {
        case same, symbolicLink, hardLink, frameInFolder
    }

    case empty(FileArgument)
    case missing(FileArgument)
    case folder(FileArgument)
    case unreadable(FileArgument)
    case pytorchCheckpoint(FileArgument)
    case overwritesInput(output: FileArgument, input: FileArgument, relation: Relation)
    case sameOutput(FileArgument, FileArgument)

    var description: String {
        switch self {
        case .empty(let a):
            return "\(a.option) is empty; give a file path"
        case .missing(let a):
            return "\(a.path) (\(a.option)): no such file or not readable; check the path and its permissions"
        case .unreadable(let a):
            return "\(a.path) (\(a.option)) is not readable; check its permissions"
        case .folder(let a):
            return "\(a.path) (\(a.option)) is a folder, not a file; " + Self.folderAdvice(a)
        case .pytorchCheckpoint(let a):
            return "\(a.path) (\(a.option)) is a PyTorch checkpoint; PortraitCL reads safetensors: " + Self.conversion(a)
        case .overwritesInput(let output, let input, let relation):
            let how: String
            switch relation {
            case .same: how = "is"
            case .symbolicLink: how = "is a symbolic link to (or from)"
            case .hardLink: how = "is a hard link of"
            case .frameInFolder: how = "is the frame folder that holds"
            }
            return "\(output.option) \(output.path) \(how) the input \(input.option) \(input.path); writing it would destroy the input: choose another output path"
        case .sameOutput(let a, let b):
            return "\(a.option) \(a.path) and \(b.option) \(b.path) are the same file; give each output its own path"
        }
    }

    /// What to give instead of a folder.
    private static func folderAdvice(_ a: FileArgument) -> String {
        switch a.expectation {
        case .weights(let family):
            let checkpoints = (try? FileManager.default.contentsOfDirectory(atPath: a.path))?.contains { PyTorchCheckpoint.looksLikeOne($0) || $0.hasSuffix("_models") } ?? false
            return checkpoints ? "it holds PyTorch checkpoints: " + conversion(FileArgument(option: a.option, path: a.path, expectation: .weights(family)))
                               : "give the weights file (NAME.safetensors, written by reference/convert.py)"
        case .faceParsingWeights:
            return "give the .safetensors file reference/convert_face_parsing.py wrote"
        case .avatar:
            return "give the file `portrait avatar -o FILE` wrote"
        case .file:
            return "give a file inside it"
        }
    }

    /// How to convert a PyTorch checkpoint for `a`'s network.
    private static func conversion(_ a: FileArgument) -> String {
        switch a.expectation {
        case .weights(.liveportrait):
            return "put the official base_models/ and retargeting_models/ folders in one folder DIR and run `python3 reference/convert.py --liveportrait DIR --config liveportrait --out NAME`, then give --weights NAME.safetensors --config NAME.json"
        case .faceParsingWeights:
            return "convert it with `python3 reference/convert_face_parsing.py \(a.path) -o NAME.safetensors` and give that file"
        case .weights(let family) where family != .megaportraits:
            return "convert it to safetensors for the \(family.entry.displayName) network (see its docs) and give --weights NAME.safetensors"
        default:
            return "convert it with `python3 reference/convert.py --official \(a.path) --config emoportraits-512 --out NAME` (an official EMOPortraits checkpoint; --reference for our PyTorch reference's), then give --weights NAME.safetensors --config NAME.json"
        }
    }
}
