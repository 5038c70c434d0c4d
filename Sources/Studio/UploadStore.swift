import Foundation

/// One stored upload: a file in the work folder under a server-made name.
public struct Upload: Encodable, Sendable {
    /// The server-made id the page refers to it by.
    public let id: String
    /// What its first bytes say it is.
    public let kind: MediaKind
    /// Its size in bytes.
    public let bytes: Int
    /// The client's file name, for display only (never a path; control characters and slashes dropped).
    public let name: String
    /// Where it lies (not sent to the client).
    let path: String

    enum CodingKeys: String, CodingKey { case id, kind, bytes, name }
}

/// Receives uploads chunk by chunk into the work folder: stops at the size limit, checks the
/// type from the first bytes, and moves a complete file to its final name at once (no reader
/// ever sees half a file).
public final class UploadWriter {
    private let handle: FileHandle
    private let partial: URL
    private let folder: WorkFolder
    private let limit: Int
    private let name: String
    private var header: [UInt8] = []
    private var count = 0
    private var closed = false

    init(folder: WorkFolder, limit: Int, name: String) throws {
        self.folder = folder
        self.limit = limit
        self.name = name
        partial = folder.partialUpload()
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw StudioError(status: 500, "cannot write into the work folder \(folder.root.path); check its permissions")
        }
        self.handle = handle
    }

    deinit { abort() }

    /// Appends `bytes`; throws 413 (and removes the partial file) once the total passes the limit,
    /// 415 as soon as the first bytes are no known picture or video.
    public func write(_ bytes: [UInt8]) throws {
        count += bytes.count
        guard count <= limit else {
            abort()
            throw StudioError(status: 413, "the upload is larger than the server's limit of \(Self.megabytes(limit)); send a smaller file or restart the server with a larger --max-upload")
        }
        if header.count < MediaKind.headerLength {
            header += bytes.prefix(MediaKind.headerLength - header.count)
            if header.count >= MediaKind.headerLength, let refusal = Self.refusal(MediaKind.sniff(header)) {
                abort()
                throw refusal
            }
        }
        handle.write(Data(bytes))
    }

    /// Closes the file, checks its type and moves it to its final name.
    public func finish() throws -> Upload {
        guard count > 0 else { abort(); throw StudioError(status: 400, "the upload is empty; choose a file") }
        let sniffed = MediaKind.sniff(header)
        if let refusal = Self.refusal(sniffed) { abort(); throw refusal }
        guard let kind = sniffed else { abort(); throw Self.unknownType }
        try? handle.close()
        closed = true
        let id = Identifier.make()
        let target = folder.upload(id, kind: kind)
        do {
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw StudioError(status: 500, "cannot store the upload in \(target.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        return Upload(id: id, kind: kind, bytes: count, name: Self.displayName(name), path: target.path)
    }

    /// Drops the partial file.
    public func abort() {
        guard !closed else { return }
        closed = true
        try? handle.close()
        try? FileManager.default.removeItem(at: partial)
    }

    /// Why a file of kind `kind` (nil: unknown) is refused, or nil when it is taken.
    static func refusal(_ kind: MediaKind?) -> StudioError? {
        switch kind {
        case nil: return unknownType
        case .heif?: return StudioError(status: 415, "the file is an HEIF/HEIC photo (as iPhones save them), which this build's libavformat cannot read; convert it to JPEG or PNG first (e.g. heif-convert, or the phone's \"Most Compatible\" camera format)")
        default: return nil
        }
    }

    static let unknownType = StudioError(status: 415, "the file is not a PNG or JPEG picture nor an MP4, MOV, MKV/WebM or AVI video (judged by its first bytes, not its name); convert it to one of those")

    /// `name` shortened to 80 characters, its control characters, slashes and backslashes dropped.
    static func displayName(_ name: String) -> String {
        let kept = name.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "/" && $0 != "\\" }
        let text = String(String.UnicodeScalarView(kept))
        return text.isEmpty ? "upload" : String(text.prefix(80))
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }
}

/// The uploads this server run has stored, by id.
public final class UploadStore: @unchecked Sendable {
    private let lock = NSLock()
    private var uploads: [String: Upload] = [:]
    /// The work folder they lie in.
    public let folder: WorkFolder
    /// The most bytes one upload may have.
    public let limit: Int

    /// A store in `folder` taking uploads up to `limit` bytes.
    public init(folder: WorkFolder, limit: Int) {
        self.folder = folder
        self.limit = limit
    }

    /// A writer for a new upload named `name` by the client (display only).
    public func begin(name: String) throws -> UploadWriter {
        try UploadWriter(folder: folder, limit: limit, name: name)
    }

    /// Remembers a finished upload.
    public func add(_ upload: Upload) {
        lock.lock(); defer { lock.unlock() }
        uploads[upload.id] = upload
    }

    /// The upload with id `id`, or a 404 naming `role`.
    public func upload(_ id: String, role: String) throws -> Upload {
        lock.lock(); defer { lock.unlock() }
        guard Identifier.isWellFormed(id), let upload = uploads[id] else {
            throw StudioError.notFound("no upload with id '\(id.prefix(40))' for the \(role); upload the file again")
        }
        return upload
    }
}
