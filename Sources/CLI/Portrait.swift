import ArgumentParser

/// The `portrait` command: render, compare and profile MegaPortraits-style avatars on OpenCL.
@main
struct Portrait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "One-shot neural head avatars (MegaPortraits family) on OpenCL, checked against a CPU reference.",
        version: Portrait.version,
        subcommands: Portrait.commands)

    /// The tool's version, printed by `--version` and written into every render's label.
    static let version = "0.1.0"

    #if canImport(Media)
    static let commands: [ParsableCommand.Type] = [RenderCommand.self, AvatarCommand.self, CompareCommand.self, ProfileCommand.self,
                                                   DevicesCommand.self, OpCommand.self, InspectCommand.self, ParseFaceCommand.self, VerifyCommand.self,
                                                   FacesCommand.self, PlanCommand.self, MergeCommand.self, TuneCommand.self, MotionCommand.self,
                                                   LintKernelsCommand.self]
    #else
    static let commands: [ParsableCommand.Type] = [CompareCommand.self, ProfileCommand.self, DevicesCommand.self, OpCommand.self, InspectCommand.self,
                                                   TuneCommand.self, LintKernelsCommand.self]
    #endif
}
