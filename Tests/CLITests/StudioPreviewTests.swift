import Foundation
import Media
import Testing

/// `portrait serve`'s previews run in the server's process with the framed source kept between
/// them: a slider move reuses it, another crop does not, and each preview is the picture
/// `portrait render` makes with the same options (tiny LivePortrait weights, the CPU).
@Suite(.serialized)
struct StudioPreviewTests {
    static let renderID = "5eed1234"

    /// Submits a preview of `source` with `edit` (and `crop` when given) and waits for it.
    static func preview(_ server: StudioServeTests.Server, source: String, edit: [String: Double], crop: String? = nil) throws -> [String: Any] {
        var request: [String: Any] = ["kind": "preview", "source": source, "config": "liveportrait-tiny", "weights": "lp-tiny.safetensors",
                                      "device": "cpu", "edit": edit]
        if let crop { request["crop"] = crop }
        let queued = try StudioServeTests.request(server, "POST", "/api/jobs", body: try StudioServeTests.json(request))
        #expect(queued.status == 202, "\(queued.error)")
        let job = try StudioServeTests.waitForJob(server, queued.json["id"] as? String ?? "")
        #expect(job["state"] as? String == "done", "\(job)")
        return job
    }

    /// The preview's picture as served.
    static func picture(_ server: StudioServeTests.Server, _ job: [String: Any]) throws -> RGBImage {
        let body = try StudioServeTests.request(server, "GET", "/api/jobs/\(job["id"] as? String ?? "")/output").body
        let path = try CLIRunner.temporaryDirectory().appendingPathComponent("served.png")
        try body.write(to: path)
        return try ImageReader.read(path.path)
    }

    /// `portrait render` of the same source with `arguments` added, as a child process.
    static func rendered(_ arguments: [String]) throws -> RGBImage {
        let output = try CLIRunner.temporaryDirectory().appendingPathComponent("cli.png").path
        let result = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--frames", "1", "-o", output, "--config", "liveportrait-tiny",
                                        "--weights", LivePortraitCLITests.weights, "--device", "cpu"] + arguments,
                                       environment: ["PORTRAIT_RENDER_ID": renderID])
        #expect(result.status == 0, "\(result.stderr)")
        return try ImageReader.read(output)
    }

    @Test("a slider move reuses the framed source, another crop does not; the previews equal `portrait render`'s pictures")
    func reusedSourceRendersTheCLIsFrame() throws {
        let server = try StudioServeTests.Server(environment: ["PORTRAIT_RENDER_ID": Self.renderID])
        defer { _ = server.stop() }
        let upload = try StudioServeTests.request(server, "POST", "/api/uploads", body: try Data(contentsOf: URL(fileURLWithPath: ModelJobsTests.source)))
        let id = upload.json["id"] as? String ?? ""

        let first = try Self.preview(server, source: id, edit: ["smile": 1])
        #expect(first["sourceReused"] as? Bool == false, "\(first)")
        let moved = try Self.preview(server, source: id, edit: ["smile": 0.5, "aaa": 20])
        #expect(moved["sourceReused"] as? Bool == true, "\(moved)")
        let centred = try Self.preview(server, source: id, edit: ["smile": 0.5, "aaa": 20], crop: "none")
        #expect(centred["sourceReused"] as? Bool == false, "another crop frames another source: \(centred)")
        let back = try Self.preview(server, source: id, edit: ["smile": 1])
        #expect(back["sourceReused"] as? Bool == true, "\(back)")

        // The face found (auto framing, LivePortrait's rotated crop) and pasted back, and the centred square.
        let cliMoved = try Self.rendered(["--edit", "aaa=20.0,smile=0.5"])
        #expect(try Self.picture(server, moved) == cliMoved)
        #expect(try Self.picture(server, back) == Self.rendered(["--edit", "smile=1.0"]))
        #expect(try Self.picture(server, centred) == Self.rendered(["--edit", "aaa=20.0,smile=0.5", "--source-crop", "none"]))
        #expect(try Self.picture(server, first) != cliMoved, "the edits change the picture")
    }
}
