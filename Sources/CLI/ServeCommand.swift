#if canImport(Studio)
import ArgumentParser
import Dispatch
import Foundation
import PortraitKit
import Studio

/// `portrait serve`: the web studio (docs/studio.md) on this machine.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web studio: upload a photo and a clip, preview, render with progress, download and verify, in a browser.",
        discussion: """
        Previews run `portrait render` inside the server, keeping the network and the framed source \
        between them (a slider move renders one frame); renders, avatars, face searches and verify \
        run this same `portrait` binary as a child process. Jobs are queued per device. Files live \
        in the --work folder under names the server makes. Bound to loopback unless --host says otherwise.
        """)

    @Option(help: "Port to listen on (0: any free port; the address is printed).")
    var port = 8080

    @Option(help: "Address to bind. Anything but loopback lets other machines reach the studio: use --token then.")
    var host = "127.0.0.1"

    @Option(help: "Folder of weights (.safetensors) and configs (.json) the page may choose from.")
    var models: String?

    @Option(help: "Folder the server owns: uploads, outputs, saved avatars (default: ./portrait-studio).")
    var work = "portrait-studio"

    @Option(help: "Jobs running at once on each device.")
    var concurrency = 1

    @Option(help: "Require this token on every API request (the printed address carries it).")
    var token: String?

    @Option(name: .customLong("max-upload"), help: "Largest upload in MB.")
    var maxUpload = 200

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard concurrency >= 1 && concurrency <= 64 else { throw ValidationError("--concurrency must be 1 to 64, got \(concurrency)") }
        guard maxUpload >= 1 && maxUpload <= 1 << 14 else { throw ValidationError("--max-upload must be 1 to 16384 MB, got \(maxUpload)") }
        if let token, token.count < 8 || !token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw ValidationError("--token needs at least 8 letters, digits, '-' or '_'")
        }
        if let models {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: models, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--models \(models) is not a folder; pass the folder that holds your .safetensors weights")
            }
        }
    }

    func run() throws {
        var settings = StudioConfiguration(workFolder: work, executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
        settings.host = host
        settings.port = port
        settings.modelsFolder = models
        settings.concurrency = concurrency
        settings.token = token
        settings.maxUploadBytes = maxUpload << 20
        settings.renderer = StudioRenderer()
        // Every registered family's presets, LivePortrait's first (the page selects the first).
        let families = NetworkRegistry.families.filter { $0.name == "liveportrait" } + NetworkRegistry.families.filter { $0.name != "liveportrait" }
        settings.presets = families.flatMap(\.presetNames)
        if !settings.isLoopback {
            printError("warning: --host \(host) is not loopback: other machines can reach the studio\(token == nil ? " and there is no --token" : ""); uploads and renders run on this machine")
        }
        let server = try StudioServer(configuration: settings)
        let workPath = URL(fileURLWithPath: settings.workFolder).standardizedFileURL.path
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { address in
                    let line = "portrait serve: listening on \(address) (work folder \(workPath); Ctrl-C stops)\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw ServeFailed(message: "the studio stopped: \(error)") }
    }
}

/// The error the server stopped with, handed from its task to the command.
private final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ error: Error) { lock.lock(); stored = error; lock.unlock() }
}

/// The server could not start or stopped with an error (e.g. the port is taken).
struct ServeFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
#endif
