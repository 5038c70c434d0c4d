import Foundation
import LivePortrait
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `portrait serve` over HTTP, without a browser: the token, the upload limit and type check,
/// ids and names that could be paths, the Host check, JSON errors, and one preview job end to end
/// (tiny LivePortrait weights). The browser test (tests/browser) drives the page itself.
@Suite(.serialized)
struct StudioServeTests {
    static let token = "test-token-123"

    /// A running `portrait serve` on a free port, stopped by `stop()`.
    final class Server {
        let process = Process()
        let address: String
        let work: URL
        let models: URL

        init(extra: [String] = [], environment: [String: String] = [:]) throws {
            let dir = try CLIRunner.temporaryDirectory()
            work = dir.appendingPathComponent("work")
            models = dir.appendingPathComponent("models")
            try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: LivePortraitCLITests.weights, toPath: models.appendingPathComponent("lp-tiny.safetensors").path)
            process.executableURL = CLIRunner.binary
            process.arguments = ["serve", "--port", "0", "--work", work.path, "--models", models.path, "--token", StudioServeTests.token,
                                 "--max-upload", "1"] + extra
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.standardError
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while !text.contains("\n") && Date() < deadline && process.isRunning {
                text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            }
            guard let range = text.range(of: "http://127.0.0.1:"), let end = text[range.upperBound...].firstIndex(of: "/") else {
                process.terminate()
                throw ServeTestError(message: "no address printed: \(text)")
            }
            address = String(text[range.lowerBound..<end])
        }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct ServeTestError: Error { let message: String }

    struct Reply {
        let status: Int
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var error: String { json["error"] as? String ?? "" }
    }

    static func request(_ server: Server, _ method: String, _ path: String, body: Data? = nil, token: String? = StudioServeTests.token,
                        headers: [String: String] = [:]) throws -> Reply {
        var request = URLRequest(url: URL(string: server.address + path)!)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(error) } else {
                box.result = .success(Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data ?? Data()))
            }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 60)
        return try box.result.get()
    }

    /// The answer handed from URLSession's queue to the waiting test (the semaphore orders them).
    final class ReplyBox: @unchecked Sendable {
        var result: Result<Reply, Error> = .failure(ServeTestError(message: "no answer within 60 s"))
    }

    static func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    static func waitForJob(_ server: Server, _ id: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let job = try request(server, "GET", "/api/jobs/\(id)").json
            if let state = job["state"] as? String, ["done", "failed", "cancelled"].contains(state) { return job }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw ServeTestError(message: "job \(id) did not finish")
    }

    @Test("the token, the upload limit and type check, path-like ids and names, the Host check: each a JSON error with its status")
    func securityOverHTTP() throws {
        let server = try Server()
        defer { _ = server.stop() }
        let noToken = try Self.request(server, "GET", "/api/catalog", token: nil)
        #expect(noToken.status == 401 && noToken.error.contains("token"), "\(noToken.status) \(noToken.error)")
        let wrongToken = try Self.request(server, "GET", "/api/jobs", token: "test-token-124")
        #expect(wrongToken.status == 401)
        let catalog = try Self.request(server, "GET", "/api/catalog?token=\(Self.token)", token: nil)
        #expect(catalog.status == 200 && (catalog.json["weights"] as? [String]) == ["lp-tiny.safetensors"], "\(catalog.json)")
        // The presets are the binary's: every family's, LivePortrait's first (few-shot's too, which a fixed list had left out).
        let presets = catalog.json["presets"] as? [String] ?? []
        #expect(Array(presets.prefix(2)) == LivePortraitConfig.presetNames, "\(presets)")
        #expect(presets.contains("fewshot-tiny") && presets.contains("emoportraits-512") && Set(presets).count == presets.count, "\(presets)")
        let page = try Self.request(server, "GET", "/", token: nil)
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("PortraitCL studio"))

        let foreignHost = try Self.request(server, "GET", "/api/catalog", headers: ["Host": "rebinding.example:80"])
        #expect(foreignHost.status == 421, "\(foreignHost.status) \(foreignHost.error)")

        let big = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(count: (1 << 20) + 1)
        let tooLarge = try Self.request(server, "POST", "/api/uploads", body: big)
        #expect(tooLarge.status == 413 && tooLarge.error.contains("1 MB"), "\(tooLarge.status) \(tooLarge.error)")
        let script = try Self.request(server, "POST", "/api/uploads", body: Data("<script>alert(1)</script> pretending to be a PNG".utf8),
                                      headers: ["X-File-Name": "photo.png"])
        #expect(script.status == 415 && script.error.contains("first bytes"), "\(script.status) \(script.error)")

        let picture = try Data(contentsOf: URL(fileURLWithPath: ModelJobsTests.source))
        let stored = try Self.request(server, "POST", "/api/uploads", body: picture, headers: ["X-File-Name": "..%2F..%2Fevil.png"])
        #expect(stored.status == 201, "\(stored.error)")
        let id = stored.json["id"] as? String ?? ""
        #expect(stored.json["kind"] as? String == "png" && stored.json["name"] as? String == "....evil.png", "\(stored.json)")
        let uploads = try FileManager.default.contentsOfDirectory(atPath: server.work.appendingPathComponent("uploads").path)
        #expect(uploads == ["\(id).png"], "\(uploads)")
        #expect(try Self.request(server, "GET", "/api/uploads/\(id)").body == picture)
        for path in ["/api/uploads/..%2F..%2Fetc%2Fpasswd", "/api/uploads/%2Fetc%2Fpasswd", "/api/jobs/..%2Fuploads", "/api/jobs/\(id)"] {
            let reply = try Self.request(server, "GET", path)
            #expect(reply.status == 404 && !reply.error.isEmpty, "\(path): \(reply.status) \(reply.error)")
        }

        let base: [String: Any] = ["kind": "preview", "source": id, "config": "liveportrait-tiny", "device": "cpu", "edit": ["smile": 1]]
        var escape = base; escape["weights"] = "../../../etc/passwd"
        let badWeights = try Self.request(server, "POST", "/api/jobs", body: try Self.json(escape))
        #expect(badWeights.status == 400 && badWeights.error.contains("lp-tiny.safetensors"), "\(badWeights.error)")
        var pathSource = base; pathSource["source"] = "/etc/passwd"; pathSource["weights"] = "lp-tiny.safetensors"
        #expect(try Self.request(server, "POST", "/api/jobs", body: try Self.json(pathSource)).status == 404)
        var badConfig = base; badConfig["config"] = "/tmp/evil.json"; badConfig["weights"] = "lp-tiny.safetensors"
        #expect(try Self.request(server, "POST", "/api/jobs", body: try Self.json(badConfig)).status == 400)
        var badDevice = base; badDevice["device"] = "cpu; rm -rf /"; badDevice["weights"] = "lp-tiny.safetensors"
        #expect(try Self.request(server, "POST", "/api/jobs", body: try Self.json(badDevice)).status == 400)
        let notJSON = try Self.request(server, "POST", "/api/jobs", body: Data("kind=render".utf8))
        #expect(notJSON.status == 400 && notJSON.error.contains("JSON"), "\(notJSON.error)")
        #expect(server.stop() == 0)
    }

    @Test("a preview job runs the tiny network and serves a PNG; a saved avatar is listed and previews; a failing job reports the renderer's error; a finished job cannot be cancelled")
    func previewJob() throws {
        let server = try Server()
        defer { _ = server.stop() }
        let picture = try Data(contentsOf: URL(fileURLWithPath: ModelJobsTests.source))
        let id = try Self.request(server, "POST", "/api/uploads", body: picture).json["id"] as? String ?? ""
        let request: [String: Any] = ["kind": "preview", "source": id, "config": "liveportrait-tiny", "weights": "lp-tiny.safetensors",
                                      "device": "cpu", "crop": "none", "edit": ["smile": 1, "yaw": 10]]
        let queued = try Self.request(server, "POST", "/api/jobs", body: try Self.json(request))
        #expect(queued.status == 202, "\(queued.error)")
        let job = try Self.waitForJob(server, queued.json["id"] as? String ?? "")
        #expect(job["state"] as? String == "done" && job["hasOutput"] as? Bool == true, "\(job)")
        let output = try Self.request(server, "GET", "/api/jobs/\(job["id"] as? String ?? "")/output")
        #expect(output.status == 200 && output.body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let again = try Self.request(server, "POST", "/api/jobs/\(job["id"] as? String ?? "")/cancel")
        #expect(again.status == 409 && again.error.contains("already done"), "\(again.error)")

        // A saved avatar: listed in the catalog, renders a preview, refused with another config.
        let avatarJob = try Self.request(server, "POST", "/api/jobs", body: try Self.json(["kind": "avatar", "source": id, "config": "liveportrait-tiny",
                                                                                         "weights": "lp-tiny.safetensors", "device": "cpu", "crop": "none"]))
        let made = try Self.waitForJob(server, avatarJob.json["id"] as? String ?? "")
        #expect(made["state"] as? String == "done", "\(made)")
        let avatars = try Self.request(server, "GET", "/api/catalog").json["avatars"] as? [[String: Any]] ?? []
        #expect(avatars.count == 1 && avatars.first?["config"] as? String == "liveportrait-tiny", "\(avatars)")
        var fromAvatar = request
        fromAvatar["source"] = nil
        fromAvatar["avatar"] = avatars.first?["id"] as? String ?? ""
        let avatarPreview = try Self.request(server, "POST", "/api/jobs", body: try Self.json(fromAvatar))
        let previewed = try Self.waitForJob(server, avatarPreview.json["id"] as? String ?? "")
        #expect(previewed["state"] as? String == "done" && previewed["hasOutput"] as? Bool == true, "\(previewed)")
        var otherConfig = fromAvatar
        otherConfig["config"] = "tiny"
        let refused = try Self.request(server, "POST", "/api/jobs", body: try Self.json(otherConfig))
        #expect(refused.status == 400 && refused.error.contains("made for config liveportrait-tiny"), "\(refused.error)")

        var unknownEdit = request; unknownEdit["edit"] = ["grin": 1]
        let failing = try Self.request(server, "POST", "/api/jobs", body: try Self.json(unknownEdit))
        let failed = try Self.waitForJob(server, failing.json["id"] as? String ?? "")
        #expect(failed["state"] as? String == "failed" && (failed["message"] as? String ?? "").contains("smile"), "\(failed)")

        // verify's report names the file relative to the work folder: no server path reaches the client.
        let verifyJob = try Self.request(server, "POST", "/api/jobs", body: try Self.json(["kind": "verify", "source": id]))
        let verified = try Self.waitForJob(server, verifyJob.json["id"] as? String ?? "")
        let report = (verified["result"] as? String ?? "").replacingOccurrences(of: "\\/", with: "/")
        #expect(verified["state"] as? String == "done" && report.contains("uploads/\(id)"), "\(verified)")
        #expect(!report.contains(server.work.path), "the verify report shows the server's work folder: \(report)")
    }

    @Test("serve refuses bad options with one line and exit 2, and warns for a non-loopback host without a token")
    func options() throws {
        let badPort = try CLIRunner.run(["serve", "--port", "70000"])
        #expect(badPort.status == 2 && badPort.stderr.contains("--port"), "\(badPort.stderr)")
        let badModels = try CLIRunner.run(["serve", "--models", "/nonexistent-models"])
        #expect(badModels.status == 2 && badModels.stderr.contains("not a folder"), "\(badModels.stderr)")
        let shortToken = try CLIRunner.run(["serve", "--token", "abc"])
        #expect(shortToken.status == 2 && shortToken.stderr.contains("--token"), "\(shortToken.stderr)")

        let open = Process()
        open.executableURL = CLIRunner.binary
        open.arguments = ["serve", "--host", "0.0.0.0", "--port", "0", "--work", try CLIRunner.temporaryDirectory().path]
        let err = Pipe()
        open.standardError = err
        open.standardOutput = FileHandle.nullDevice
        try open.run()
        var warning = ""
        let deadline = Date().addingTimeInterval(30)
        while !warning.contains("\n") && Date() < deadline && open.isRunning {
            warning += String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        }
        open.terminate()
        open.waitUntilExit()
        #expect(warning.contains("not loopback") && warning.contains("no --token"), "\(warning)")
    }
}
