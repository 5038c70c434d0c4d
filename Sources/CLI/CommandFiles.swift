import Foundation

// Every command's input and output files, for the checks `Portrait.main` runs before any work
// (`FileChecks`). A command that reads or writes a file lists it here.

extension ModelOptions {
    /// `--weights` and a `--config` JSON file.
    var inputFiles: [FileArgument] {
        var files: [FileArgument] = []
        if let weights { files.append(FileArgument(option: "--weights", path: weights, expectation: .weights(family))) }
        if let configOption, Self.namesFile(configOption) { files.append(FileArgument(option: "--config", path: configOption)) }
        return files
    }

    /// Whether a `--config` value names a file rather than a preset.
    static func namesFile(_ config: String) -> Bool {
        config.contains("/") || config.lowercased().hasSuffix(".json") || FileManager.default.fileExists(atPath: config)
    }
}

extension OpCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { inputs.map { [FileArgument(option: "--inputs", path: $0)] } ?? [] }
    var outputFiles: [FileArgument] { out.map { [FileArgument(option: "-o", path: $0)] } ?? [] }
    func preflight() throws {
        if let out { try OutputPreflight.checkFile(out, option: "-o", extensions: ["safetensors"]) }
    }
}

extension InspectCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] {
        [FileArgument(option: "FILE", path: file)] + (config.map { ModelOptions.namesFile($0) ? [FileArgument(option: "--config", path: $0)] : [] } ?? [])
    }
    var outputFiles: [FileArgument] { [] }
}

extension ProfileCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { ops ? [] : modelProfile.model.inputFiles }
    var outputFiles: [FileArgument] { modelProfile.trace.map { [FileArgument(option: "--trace", path: $0)] } ?? [] }
    func preflight() throws {
        if let trace = modelProfile.trace { try OutputPreflight.checkFile(trace, option: "--trace", extensions: ["json"]) }
    }
}

extension CompareCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] {
        guard !ops else { return [] }
        let o = modelComparison
        var files = o.model.inputFiles
        #if canImport(Media)
        files += [("--source", o.source), ("--driver", o.driver)].compactMap { name, path in path.map { FileArgument(option: name, path: $0) } }
        files += o.input.inputFiles
        #endif
        return files
    }
    var outputFiles: [FileArgument] {
        guard !ops else { return [] }
        return [("--heatmap", modelComparison.heatmap), ("--stages", modelComparison.stages)].compactMap { name, path in path.map { FileArgument(option: name, path: $0) } }
    }
    func preflight() throws {
        guard !ops else { return }
        if let heatmap = modelComparison.heatmap { try OutputPreflight.checkFile(heatmap, option: "--heatmap", extensions: ["png"]) }
        if let stages = modelComparison.stages { try OutputPreflight.checkFile(stages, option: "--stages", extensions: ["safetensors"]) }
    }
}

#if canImport(Media)
extension InputOptions {
    /// `--source-mask` and `--face-parsing`.
    var inputFiles: [FileArgument] {
        (sourceMask.map { [FileArgument(option: "--source-mask", path: $0)] } ?? [])
            + (faceParsing.map { [FileArgument(option: "--face-parsing", path: $0, expectation: .faceParsingWeights)] } ?? [])
    }
}

extension RenderCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] {
        var files = sources.map { FileArgument(option: "--source", path: $0) }
        files += [("--driver", driver), ("--pose-csv", poseCSV), ("--edit-csv", editCSV), ("--plan", scaleOut.plan)]
            .compactMap { name, path in path.map { FileArgument(option: name, path: $0) } }
        if let avatar { files.append(FileArgument(option: "--avatar", path: avatar, expectation: .avatar)) }
        return files + input.inputFiles + model.inputFiles
    }
    var outputFiles: [FileArgument] {
        [FileArgument(option: "-o", path: output)] + (stages.map { [FileArgument(option: "--stages", path: $0)] } ?? [])
    }
    func preflight() throws { try RenderPreflight(command: self).run() }
}

extension AvatarCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { sources.map { FileArgument(option: "--source", path: $0) } + input.inputFiles + model.inputFiles }
    var outputFiles: [FileArgument] { [FileArgument(option: "-o", path: output)] }
    func preflight() throws {
        try OutputPreflight.checkFile(output, option: "-o", extensions: nil)
        let ignored = model.livePortrait.given
        guard ignored.isEmpty else {
            throw FrameOptionError(options: ignored, command: "avatar")
        }
    }
}

extension PlanCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { [FileArgument(option: "--driver", path: driver)] }
    var outputFiles: [FileArgument] { [FileArgument(option: "-o", path: output)] }
    func preflight() throws { try OutputPreflight.checkFile(output, option: "-o", extensions: ["json"]) }
}

extension MergeCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] {
        segments.map { FileArgument(option: "SEGMENT", path: $0) }
            + [("--audio", audio), ("--plan", plan)].compactMap { name, path in path.map { FileArgument(option: name, path: $0) } }
    }
    var outputFiles: [FileArgument] { [FileArgument(option: "-o", path: output)] }
    func preflight() throws { try OutputPreflight.checkFile(output, option: "-o", extensions: OutputPreflight.videoExtensions) }
}

extension ParseFaceCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] {
        [FileArgument(option: "IMAGE", path: image), FileArgument(option: "--weights", path: weights, expectation: .faceParsingWeights)]
    }
    var outputFiles: [FileArgument] { [FileArgument(option: "-o", path: output)] }
    func preflight() throws { try OutputPreflight.checkFile(output, option: "-o", extensions: ["png"]) }
}

extension FacesCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { [FileArgument(option: "INPUT", path: input)] }
    var outputFiles: [FileArgument] { output.map { [FileArgument(option: "-o", path: $0)] } ?? [] }
    func preflight() throws {
        if let output { try OutputPreflight.checkFile(output, option: "-o", extensions: nil) }
    }
}

extension MotionCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { [FileArgument(option: "--driver", path: driver)] + input.inputFiles + model.inputFiles }
    var outputFiles: [FileArgument] { [FileArgument(option: "-o", path: output)] }
    func preflight() throws { try OutputPreflight.checkFile(output, option: "-o", extensions: nil) }
}

extension VerifyCommand: ChecksFilesFirst {
    var inputFiles: [FileArgument] { [FileArgument(option: "FILE", path: file)] }
    var outputFiles: [FileArgument] { [] }
}
#endif

/// Per-frame options given to a command that renders no frame (`avatar` only encodes the source).
struct FrameOptionError: Error, CustomStringConvertible {
    /// The options, by flag name.
    let options: [String]
    /// The command that ignores them.
    let command: String

    var description: String {
        "\(options.joined(separator: ", ")) \(options.count == 1 ? "shapes" : "shape") the rendered frames; `portrait \(command)` renders none: give \(options.count == 1 ? "it" : "them") to `portrait render`"
    }
}
