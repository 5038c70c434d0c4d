import ArgumentParser
import Foundation

/// The `portrait` command: render, compare and profile MegaPortraits/EMOPortraits and LivePortrait avatars on OpenCL.
@main
struct Portrait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "One-shot neural head avatars (MegaPortraits/EMOPortraits and LivePortrait) on OpenCL, checked against a CPU reference.",
        discussion: """
        Errors are one line on stderr with exit status 2 (a failed comparison or an unmarked \
        file exits with 1). See `portrait COMMAND --help` for each command.
        """,
        version: Portrait.version,
        subcommands: Portrait.commands)

    /// The tool's version, printed by `--version` and written into every render's label.
    static let version = "0.1.0"

    #if canImport(Media)
    static let commands: [ParsableCommand.Type] = [RenderCommand.self, AvatarCommand.self, CompareCommand.self, ProfileCommand.self,
                                                   DevicesCommand.self, OpCommand.self, InspectCommand.self, ParseFaceCommand.self, VerifyCommand.self,
                                                   FacesCommand.self, LandmarksCommand.self, PlanCommand.self, MergeCommand.self, TuneCommand.self, MotionCommand.self,
                                                   LintKernelsCommand.self, LiveCommand.self] + Portrait.studioCommands
    #else
    static let commands: [ParsableCommand.Type] = [CompareCommand.self, ProfileCommand.self, DevicesCommand.self, OpCommand.self, InspectCommand.self,
                                                   TuneCommand.self, LintKernelsCommand.self]
    #endif

    #if canImport(Studio)
    static let studioCommands: [ParsableCommand.Type] = [ServeCommand.self]
    #else
    static let studioCommands: [ParsableCommand.Type] = []
    #endif

    /// Parses the command line (negative option values joined to their option, see
    /// `CommandLineTokens`), checks the command's files before any work (`FileChecks`), then
    /// runs it. An argument error is one line on stderr and exit status 2, as every other user
    /// error; `--help` and `--version` print as usual and exit 0.
    static func main() {
        let arguments = CommandLineTokens.joiningNegativeValues(Array(CommandLine.arguments.dropFirst()))
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitReporting(error, arguments: arguments)
        }
        do {
            if let checked = command as? ChecksFilesFirst { try reportingErrors { try FileChecks.run(checked) } }
            try command.run()
        } catch {
            exitReporting(error, arguments: arguments)
        }
    }

    /// Exits for `error`: help and version requests as the parser prints them (status 0), an
    /// `ExitCode` as it is (its message is already printed), anything else as one line and status 2.
    private static func exitReporting(_ error: Error, arguments: [String]) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        if exitCode(for: error).isSuccess { exit(withError: error) }
        printError(ArgumentErrorLine.make(message(for: error), arguments: arguments))
        Foundation.exit(2)
    }
}
