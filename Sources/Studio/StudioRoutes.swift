import Foundation
import Hummingbird

/// The page's files and the API (docs/studio.md lists the routes).
extension StudioServer {
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in StaticAssets.response(.page) }
        router.get("/studio.css") { _, _ in StaticAssets.response(.style) }
        router.get("/studio.js") { _, _ in StaticAssets.response(.script) }

        router.get("/api/catalog") { _, _ in try JSONReply.make(self.catalogReply()) }
        router.post("/api/uploads") { request, _ in try await self.receiveUpload(request) }
        router.get("/api/uploads/:id") { _, context in
            let upload = try self.uploads.upload(context.parameters.get("id") ?? "", role: "picture")
            return try FileReply.make(path: upload.path, type: upload.kind.contentType, download: nil)
        }
        router.get("/api/jobs") { _, _ in try JSONReply.make(self.queue.all) }
        router.post("/api/jobs") { request, _ in try await self.submitJob(request) }
        router.get("/api/jobs/:id") { _, context in try JSONReply.make(self.queue.snapshot(context.parameters.get("id") ?? "")) }
        router.post("/api/jobs/:id/cancel") { _, context in try JSONReply.make(self.queue.cancel(context.parameters.get("id") ?? "")) }
        router.get("/api/jobs/:id/events") { _, context in try EventStream.response(self.queue.events(context.parameters.get("id") ?? "")) }
        router.get("/api/jobs/:id/output") { request, context in
            let id = context.parameters.get("id") ?? ""
            let output = try self.queue.output(id)
            let download = request.uri.queryParameters.get("download") != nil
            let name = "portrait-\(id.prefix(8)).\(URL(fileURLWithPath: output.path).pathExtension)"
            return try FileReply.make(path: output.path, type: output.type, download: download ? name : nil)
        }
    }

    /// What the page may choose from, and the limits it should know.
    struct CatalogReply: Encodable {
        let presets: [String]
        let configs: [String]
        let weights: [String]
        let devices: [String]
        let avatars: [SavedAvatar]
        let maxUploadBytes: Int
        let concurrency: Int
    }

    func catalogReply() -> CatalogReply {
        CatalogReply(presets: catalog.presets, configs: catalog.files(ext: "json"), weights: catalog.files(ext: "safetensors"),
                     devices: ModelCatalog.devices, avatars: avatars.all, maxUploadBytes: configuration.maxUploadBytes,
                     concurrency: configuration.concurrency)
    }

    /// Streams the request body into the work folder (raw bytes; the display name in `X-File-Name`,
    /// percent-encoded). A body declared larger than the limit is refused before it is read; a
    /// wrong type is read to its end (within the limit) so the browser sees the answer.
    func receiveUpload(_ request: Request) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > uploads.limit {
            throw StudioError(status: 413, "the upload (\(declared) bytes) is larger than the server's limit of \(UploadWriter.megabytes(uploads.limit)); send a smaller file or restart the server with a larger --max-upload")
        }
        let name = request.headers[.studioFileName].flatMap { $0.removingPercentEncoding } ?? "upload"
        let writer = try uploads.begin(name: name)
        var failure: StudioError?
        var received = 0
        for try await buffer in request.body {
            received += buffer.readableBytes
            if failure != nil {
                if received > uploads.limit { break }
                continue
            }
            do { try writer.write(Array(buffer.readableBytesView)) } catch let error as StudioError {
                failure = error
                if error.status == 413 { break }
            }
        }
        if let failure { throw failure }
        let upload = try writer.finish()
        uploads.add(upload)
        return try JSONReply.make(upload, status: .created)
    }

    /// Checks a job request and queues it (202 with its snapshot).
    func submitJob(_ request: Request) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 64 << 10) } catch {
            throw StudioError(status: 413, "a job request is at most 64 kB of JSON")
        }
        let job: JobRequest
        do { job = try JSONDecoder().decode(JobRequest.self, from: Data(body.readableBytesView)) } catch {
            throw StudioError.badRequest("the job request is not the JSON the studio expects: \(error)")
        }
        let id = Identifier.make()
        let jobFolder: URL
        do { jobFolder = try folder.jobFolder(id) } catch {
            throw StudioError(status: 500, "cannot make a job folder in \(folder.root.path): \(error.localizedDescription)")
        }
        let arguments = JobArguments(uploads: uploads, avatars: avatars, catalog: catalog) { try self.queue.output($0) }
        let plan: JobPlan
        do { plan = try arguments.plan(job, folder: jobFolder) } catch {
            try? FileManager.default.removeItem(at: jobFolder)
            throw error
        }
        return try JSONReply.make(queue.submit(plan, id: id, title: title(job)), status: .accepted)
    }

    private func title(_ job: JobRequest) -> String {
        var parts = [job.kind]
        if let config = job.config { parts.append(config) }
        if let device = job.device { parts.append("on \(device)") }
        if let edit = job.edit, !edit.isEmpty { parts.append("edit " + edit.keys.sorted().joined(separator: ",")) }
        return parts.joined(separator: " ")
    }
}

/// A file of the work folder as a response (downloads named by the server).
enum FileReply {
    static func make(path: String, type: String, download: String?) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudioError(status: 500, "cannot read \(URL(fileURLWithPath: path).lastPathComponent) from the work folder")
        }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let download { headers[.studioContentDisposition] = "attachment; filename=\"\(download)\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A job's snapshots as server-sent events (`data: {json}` per change), ending after the final one.
enum EventStream {
    static func response(_ stream: AsyncStream<JobSnapshot>) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody { writer in
            for await snapshot in stream {
                guard let data = try? JSONReply.encoder.encode(snapshot) else { continue }
                try await writer.write(ByteBuffer(string: "data: " + String(decoding: data, as: UTF8.self) + "\n\n"))
            }
            try await writer.finish(nil)
        })
    }
}
