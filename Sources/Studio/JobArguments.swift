import Foundation

/// A checked job: the `portrait` arguments that run it and what it writes.
struct JobPlan: Sendable {
    let kind: JobKind
    /// The device lane it waits in (nil: runs at once).
    let device: String?
    /// The arguments after `portrait`.
    let arguments: [String]
    /// The file it writes, if any, and its Content-Type.
    let output: URL?
    let outputType: String?
    /// The avatar an avatar job records when it succeeds.
    let avatar: SavedAvatar?
}

/// Turns a page's `JobRequest` into `portrait` arguments. Ids are looked up in the server's
/// tables, names in the catalog's listing, numbers are checked for range; the only paths in the
/// arguments are the server's own.
struct JobArguments {
    let uploads: UploadStore
    let avatars: AvatarStore
    let catalog: ModelCatalog
    let jobOutput: (String) throws -> (path: String, type: String)

    /// The plan for `request` in job folder `folder`.
    func plan(_ request: JobRequest, folder: URL) throws -> JobPlan {
        guard let kind = JobKind(rawValue: request.kind) else {
            throw StudioError.badRequest("unknown job kind '\(request.kind.prefix(40))'; use render, preview, avatar, faces or verify")
        }
        switch kind {
        case .verify:
            let file = try verifyTarget(request)
            return JobPlan(kind: kind, device: nil, arguments: ["verify", file, "--json"], output: nil, outputType: nil, avatar: nil)
        case .faces:
            let source = try requireUpload(request.source, role: "picture to find faces in", picture: true)
            let device = try ModelCatalog.device(request.device ?? "cpu")
            return JobPlan(kind: kind, device: device, arguments: ["faces", source.path, "--json", "--device", device],
                           output: nil, outputType: nil, avatar: nil)
        case .avatar:
            let source = try requireUpload(request.source, role: "source", picture: true)
            let (model, config, device) = try modelArguments(request)
            let id = Identifier.make()
            let path = avatars.path(id)
            return JobPlan(kind: kind, device: device, arguments: ["avatar", "--source", source.path, "-o", path] + framing(request, source: true) + model,
                           output: nil, outputType: nil, avatar: SavedAvatar(id: id, config: config, name: source.name))
        case .render, .preview:
            return try renderPlan(request, kind: kind, folder: folder)
        }
    }

    private func renderPlan(_ request: JobRequest, kind: JobKind, folder: URL) throws -> JobPlan {
        let (model, config, device) = try modelArguments(request)
        var arguments = ["render"]
        var sourceArguments: [String] = []
        switch (request.source, request.avatar) {
        case (let id?, nil):
            sourceArguments = ["--source", try requireUpload(id, role: "source", picture: true).path] + framing(request, source: true)
        case (nil, let id?):
            let avatar = try avatars.avatar(id)
            guard avatar.config == config else {
                throw StudioError.badRequest("the avatar '\(avatar.name)' was made for config \(avatar.config), not \(config); choose that config or another avatar")
            }
            sourceArguments = ["--avatar", avatars.path(id)]
        case (nil, nil): throw StudioError.badRequest("no source: upload a source picture or choose a saved avatar")
        case (_?, _?): throw StudioError.badRequest("both a source and an avatar were given; choose one")
        }
        arguments += sourceArguments
        var still = true
        if let edit = request.edit, !edit.isEmpty {
            guard request.driver == nil else { throw StudioError.badRequest("edits and a driver were both given; edits animate the source alone, so clear one") }
            arguments += ["--edit", try editArgument(edit)]
        } else if let id = request.driver {
            let driver = try requireUpload(id, role: "driver", picture: false)
            still = driver.kind.isPicture
            arguments += ["--driver", driver.path] + framing(request, source: false)
        } else {
            throw StudioError.badRequest("no driver: upload a driving clip or picture, or move an expression slider")
        }
        if kind == .preview {
            arguments += ["--frames", "1"]
            still = true
        } else if let frames = request.frames {
            guard frames >= 1 && frames <= 100_000 else { throw StudioError.badRequest("frames must be 1 to 100000, got \(frames)") }
            arguments += ["--frames", String(frames)]
        }
        let output = folder.appendingPathComponent(kind == .preview ? "preview.png" : (still ? "out.png" : "out.mp4"))
        arguments += ["-o", output.path] + model + (try liveportraitArguments(request))
        return JobPlan(kind: kind, device: device, arguments: arguments, output: output,
                       outputType: still ? "image/png" : "video/mp4", avatar: nil)
    }

    /// The config, weights and device arguments, with the config and device named.
    private func modelArguments(_ request: JobRequest) throws -> ([String], String, String) {
        let name = request.config ?? "liveportrait-tiny"
        let config = try catalog.config(name)
        var arguments = ["--config", config]
        switch (request.weights, request.randomWeights) {
        case (let name?, nil): arguments += ["--weights", try catalog.path(of: name, ext: "safetensors", role: "weights file")]
        case (nil, let seed?):
            guard seed >= 0 && seed < 1 << 31 else { throw StudioError.badRequest("random weights take a seed 0 to 2147483647, got \(seed)") }
            arguments += ["--random-weights", String(seed)]
        case (nil, nil): throw StudioError.badRequest("no weights: choose a weights file of the models folder, or random weights")
        case (_?, _?): throw StudioError.badRequest("both a weights file and random weights were given; choose one")
        }
        let device = try ModelCatalog.device(request.device ?? "cpu")
        return (arguments + ["--device", device], name, device)
    }

    private func framing(_ request: JobRequest, source: Bool) -> [String] {
        var arguments: [String] = []
        if let crop = request.crop { arguments += [source ? "--source-crop" : "--driver-crop", crop == "none" ? "none" : "auto"] }
        // A face index picks among the faces auto framing finds; the centre square has none to pick.
        // Face 0 is the default, left out so that a preview asking for it shares the source of one that did not.
        if source, request.crop != "none", let face = request.face, face > 0 { arguments += ["--source-face", String(face)] }
        return arguments
    }

    private func liveportraitArguments(_ request: JobRequest) throws -> [String] {
        var arguments: [String] = []
        if request.absoluteMotion == true { arguments.append("--absolute-motion") }
        if let region = request.region, region != "all" {
            guard ["exp", "pose", "lip"].contains(region) else { throw StudioError.badRequest("unknown region '\(region.prefix(20))'; use all, exp, pose or lip") }
            arguments += ["--region", region]
        }
        if request.stitching == false { arguments.append("--no-stitching") }
        if let m = request.drivingMultiplier, m != 1 {
            guard m.isFinite, m >= 0, m <= 10 else { throw StudioError.badRequest("the driving multiplier must be 0 to 10, got \(m)") }
            arguments += ["--driving-multiplier", String(m)]
        }
        return arguments
    }

    /// `name=value,...` from checked names (lowercase letters and _) and finite values; the CLI
    /// checks the names against its controls and says which exist.
    private func editArgument(_ edit: [String: Double]) throws -> String {
        try edit.keys.sorted().map { name in
            guard !name.isEmpty, name.count <= 20, name.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" }) else {
                throw StudioError.badRequest("'\(name.prefix(40))' is not an edit control name")
            }
            guard let value = edit[name], value.isFinite, abs(value) <= 1000 else {
                throw StudioError.badRequest("edit \(name) needs a finite value within ±1000")
            }
            return "\(name)=\(value)"
        }.joined(separator: ",")
    }

    private func verifyTarget(_ request: JobRequest) throws -> String {
        if let job = request.job { return try jobOutput(job).path }
        return try requireUpload(request.source, role: "file to verify", picture: false).path
    }

    private func requireUpload(_ id: String?, role: String, picture: Bool) throws -> Upload {
        guard let id else { throw StudioError.badRequest("no \(role) given; upload one first") }
        let upload = try uploads.upload(id, role: role)
        if picture && !upload.kind.isPicture {
            throw StudioError(status: 415, "the \(role) must be a PNG or JPEG picture, got a \(upload.kind.rawValue) video")
        }
        return upload
    }
}
