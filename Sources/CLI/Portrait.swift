import ArgumentParser

/// The `portrait` command: render, compare and profile MegaPortraits-style avatars on OpenCL.
@main
struct Portrait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "One-shot neural head avatars (MegaPortraits family) on OpenCL, checked against a CPU reference.",
        subcommands: [DevicesCommand.self, OpCommand.self, CompareCommand.self, ProfileCommand.self])
}
