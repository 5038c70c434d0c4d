import Foundation
import Studio
import Testing

/// The studio's checks that need no server: what a file is (from its bytes), the upload limit,
/// the ids, the token and Host checks, and the reading of the renderer's progress lines.
struct StudioSecurityTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    static func folder() throws -> WorkFolder {
        try WorkFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("studio-\(UUID().uuidString)").path)
    }

    static func files(in folder: WorkFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.root.appendingPathComponent("uploads").path)
    }

    @Test("the type comes from the first bytes, whatever the name says")
    func sniffing() {
        #expect(MediaKind.sniff(Self.png) == .png)
        #expect(MediaKind.sniff([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 12)) == .jpeg)
        #expect(MediaKind.sniff([0, 0, 0, 0x20] + Array("ftypisom".utf8) + [0, 0, 0, 0]) == .mp4)
        #expect(MediaKind.sniff([0, 0, 0, 0x14] + Array("ftypqt  ".utf8) + [0, 0, 0, 0]) == .mov)
        #expect(MediaKind.sniff([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0]) == .heif)
        #expect(MediaKind.sniff([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0])?.isPicture == true)
        #expect(MediaKind.sniff([0x1A, 0x45, 0xDF, 0xA3] + [UInt8](repeating: 0, count: 12)) == .matroska)
        #expect(MediaKind.sniff(Array("RIFF\0\0\0\0AVI LIST".utf8)) == .avi)
        #expect(MediaKind.sniff(Array("RIFF\0\0\0\0WAVEfmt ".utf8)) == nil)
        #expect(MediaKind.sniff(Array("<html><script>x</script>".utf8)) == nil)
        #expect(MediaKind.sniff(Array(Self.png.prefix(7))) == nil)
    }

    @Test("an upload under the limit is stored under a server-made name; the client's name is display only")
    func uploadStored() throws {
        let folder = try Self.folder()
        let store = UploadStore(folder: folder, limit: 1000)
        let writer = try store.begin(name: "../../etc/passwd\u{7}.png")
        try writer.write(Self.png)
        try writer.write([UInt8](repeating: 7, count: 100))
        let upload = try writer.finish()
        #expect(upload.kind == .png && upload.bytes == 116)
        #expect(upload.name == "....etcpasswd.png")
        #expect(Identifier.isWellFormed(upload.id))
        #expect(try Self.files(in: folder) == ["\(upload.id).png"])
        store.add(upload)
        #expect(try store.upload(upload.id, role: "source").id == upload.id)
        #expect(throws: StudioError.self) { try store.upload("../\(upload.id)", role: "source") }
    }

    @Test("an upload over the limit is refused with 413 and leaves no file")
    func uploadTooLarge() throws {
        let folder = try Self.folder()
        let writer = try UploadStore(folder: folder, limit: 100).begin(name: "big.png")
        try writer.write(Self.png)
        let error = #expect(throws: StudioError.self) { try writer.write([UInt8](repeating: 0, count: 85)) }
        #expect(error?.status == 413)
        #expect(error?.message.contains("--max-upload") == true)
        #expect(try Self.files(in: folder).isEmpty)
    }

    @Test("an upload that is no picture or video is refused with 415 however it is named, and leaves no file")
    func uploadWrongType() throws {
        let folder = try Self.folder()
        let writer = try UploadStore(folder: folder, limit: 1000).begin(name: "photo.png")
        let error = #expect(throws: StudioError.self) { try writer.write(Array("#!/bin/sh\necho not a picture\n".utf8)) }
        #expect(error?.status == 415)
        #expect(try Self.files(in: folder).isEmpty)
        let short = try UploadStore(folder: folder, limit: 1000).begin(name: "x.png")
        try short.write([0x89, 0x50])
        #expect((#expect(throws: StudioError.self) { try short.finish() })?.status == 415)
        let heic = try UploadStore(folder: folder, limit: 1000).begin(name: "IMG_0001.jpg")
        let heicError = #expect(throws: StudioError.self) { try heic.write([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [UInt8](repeating: 0, count: 12)) }
        #expect(heicError?.status == 415)
        #expect(heicError?.message.contains("HEIC") == true)
        let empty = try UploadStore(folder: folder, limit: 1000).begin(name: "x.png")
        #expect((#expect(throws: StudioError.self) { try empty.finish() })?.status == 400)
        #expect(try Self.files(in: folder).isEmpty)
    }

    @Test("ids are 32 lowercase hex digits and nothing else")
    func identifiers() {
        let id = Identifier.make()
        #expect(Identifier.isWellFormed(id) && id != Identifier.make())
        for bad in ["", "..", String(id.dropLast()), id + "0", id.uppercased(), "../" + id.dropFirst(3), String(id.dropLast()) + "/"] {
            #expect(!Identifier.isWellFormed(bad), "\(bad)")
        }
    }

    @Test("the token is required on API requests, by header or query; a loopback server answers only loopback Host names")
    func guardChecks() throws {
        let open = RequestGuard(token: nil, loopbackOnly: false)
        try open.check(host: "studio.example:8080", authorization: nil, queryToken: nil, needsToken: true)
        let guarded = RequestGuard(token: "secret-token-1", loopbackOnly: true)
        try guarded.check(host: "127.0.0.1:8080", authorization: "Bearer secret-token-1", queryToken: nil, needsToken: true)
        try guarded.check(host: "localhost:8080", authorization: nil, queryToken: "secret-token-1", needsToken: true)
        try guarded.check(host: "[::1]:8080", authorization: nil, queryToken: nil, needsToken: false)
        for (authorization, query) in [(nil, nil), ("Bearer secret-token-2", nil), (nil, "secret-token-"), ("Basic secret-token-1", nil)] as [(String?, String?)] {
            let error = #expect(throws: StudioError.self) { try guarded.check(host: "127.0.0.1", authorization: authorization, queryToken: query, needsToken: true) }
            #expect(error?.status == 401)
        }
        for host in ["evil.example", "127.0.0.1.evil.example:80", nil] as [String?] {
            let error = #expect(throws: StudioError.self) { try guarded.check(host: host, authorization: "Bearer secret-token-1", queryToken: nil, needsToken: true) }
            #expect(error?.status == 421)
        }
        #expect(StudioConfiguration.isLoopback("127.0.0.1") && StudioConfiguration.isLoopback("::1") && StudioConfiguration.isLoopback("localhost"))
        #expect(StudioConfiguration.isLoopback("127.1.2.3") && StudioConfiguration.isLoopback("[::1]"))
        for host in ["0.0.0.0", "192.168.1.2", "127.0.0.1.evil.example", "127.0.0", "localhost.evil.example", "127.0.0.256"] {
            #expect(!StudioConfiguration.isLoopback(host), "\(host)")
        }
    }

    @Test("the renderer's plain progress lines give frames, total, fps and ETA; other lines give nothing")
    func progressLines() {
        let line = ProgressLine("render [██████░░░░░░░░░░░░░░░░░░] 3/12  1.50 fps  ETA 0:06")
        #expect(line == ProgressLine(stage: "render", done: 3, total: 12, fps: 1.5, etaSeconds: 6))
        #expect(ProgressLine("finding the face 7  2.00 fps  1:05:03 elapsed") == ProgressLine(stage: "finding the face", done: 7, total: nil, fps: 2, etaSeconds: nil))
        #expect(ProgressLine("render [█] 12/12  3.25 fps  ETA 1:02:03")?.etaSeconds == 3723)
        #expect(ProgressLine("portrait: liveportrait-tiny on cpu") == nil)
        #expect(ProgressLine("error: no face found in fps of 3") == nil)
    }
}
