import Foundation
import Hummingbird
import Logging

/// The web studio of `portrait serve`: the page, the API and the job queue, on Hummingbird.
public final class StudioServer: Sendable {
    /// How it runs.
    public let configuration: StudioConfiguration
    let folder: WorkFolder
    let uploads: UploadStore
    let avatars: AvatarStore
    let catalog: ModelCatalog
    let queue: JobQueue
    let requestGuard: RequestGuard

    /// A server for `configuration`; makes the work folder.
    public init(configuration: StudioConfiguration) throws {
        self.configuration = configuration
        folder = try WorkFolder(path: configuration.workFolder)
        uploads = UploadStore(folder: folder, limit: configuration.maxUploadBytes)
        let avatars = AvatarStore(folder: folder)
        self.avatars = avatars
        catalog = ModelCatalog(folder: configuration.modelsFolder, presets: configuration.presets)
        queue = JobQueue(executable: configuration.executable, concurrency: configuration.concurrency, hiddenFolder: folder.root,
                         renderer: configuration.renderer) { snapshot in
            if snapshot.kind == .avatar, let avatar = snapshot.avatar { try? avatars.add(avatar) }
        }
        requestGuard = RequestGuard(token: configuration.token, loopbackOnly: configuration.isLoopback)
    }

    /// The address a browser opens (with the token when there is one).
    func address(port: Int) -> String {
        let host = configuration.host.contains(":") && !configuration.host.hasPrefix("[") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)/" + (configuration.token.map { "?token=\($0)" } ?? "")
    }

    /// Serves until SIGINT or SIGTERM, then interrupts the running jobs. `ready` gets the
    /// address once the server listens.
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let router = Router()
        router.add(middleware: GuardMiddleware(server: self))
        addRoutes(to: router)
        var logger = Logger(label: "portrait-serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "portrait"),
            onServerRunning: { [self] channel in ready(self.address(port: channel.localAddress?.port ?? self.configuration.port)) },
            logger: logger)
        defer { queue.stopAll() }
        try await app.runService()
    }
}
