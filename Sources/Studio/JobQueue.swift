import Foundation

/// The jobs of this server run: each runs the `portrait` executable in its own process (previews,
/// when the queue has an `InProcessRenderer`, run in this process instead), queued per device with
/// at most `concurrency` running at once on each (a job that needs no device runs at once). Jobs
/// belong to the server, not to a page: closing the tab leaves them running.
public final class JobQueue: @unchecked Sendable {
    private final class Record {
        var snapshot: JobSnapshot
        let plan: JobPlan
        var process: Process?
        var cancelRequested = false
        var started: Date?
        var stdout = Data()
        var stderrTail: [String] = []
        var partialLine = ""
        var subscribers: [UUID: AsyncStream<JobSnapshot>.Continuation] = [:]
        init(snapshot: JobSnapshot, plan: JobPlan) { self.snapshot = snapshot; self.plan = plan }
    }

    private let lock = NSLock()
    private var records: [String: Record] = [:]
    private var order: [String] = []
    private var pending: [String: [String]] = [:]
    private var running: [String: Int] = [:]
    private let executable: URL
    private let concurrency: Int
    private let onSuccess: @Sendable (JobSnapshot) -> Void
    private let hiddenFolder: String?
    private let renderer: (any InProcessRenderer)?
    /// One thread per device for in-process jobs: networks and sessions are not thread-safe, so
    /// they run one at a time on each device whatever `concurrency` says.
    private var workers: [String: DispatchQueue] = [:]

    /// A queue running `executable` (the `portrait` binary) with `concurrency` jobs per device;
    /// `onSuccess` sees each job that finished well (avatar jobs record their avatar there), under
    /// the queue's lock: it must not call the queue. `hiddenFolder` (the server's work folder) is
    /// cut out of every result and message a client sees: its files are named relative to it.
    /// `renderer`, when given, runs preview jobs in this process.
    public init(executable: URL, concurrency: Int, hiddenFolder: URL? = nil, renderer: (any InProcessRenderer)? = nil,
                onSuccess: @escaping @Sendable (JobSnapshot) -> Void = { _ in }) {
        self.executable = executable
        self.renderer = renderer
        self.concurrency = max(1, concurrency)
        self.onSuccess = onSuccess
        self.hiddenFolder = hiddenFolder.map { $0.standardizedFileURL.path + "/" }
    }

    /// `text` with the server's work folder cut out of every path in it (also as JSON writes it,
    /// with escaped slashes).
    private func clientVisible(_ text: String) -> String {
        guard let hiddenFolder else { return text }
        return text.replacingOccurrences(of: hiddenFolder, with: "")
            .replacingOccurrences(of: hiddenFolder.replacingOccurrences(of: "/", with: "\\/"), with: "")
    }

    /// Queues `plan` as job `id` and returns its first snapshot.
    func submit(_ plan: JobPlan, id: String, title: String) -> JobSnapshot {
        let snapshot = JobSnapshot(id: id, kind: plan.kind, state: .queued, device: plan.device ?? "", outputType: plan.outputType,
                                   avatar: plan.avatar, title: title)
        lock.lock()
        records[id] = Record(snapshot: snapshot, plan: plan)
        order.append(id)
        if let device = plan.device {
            var lane = pending[device, default: []]
            if plan.kind.interactive {
                let firstBatch = lane.firstIndex { records[$0]?.plan.kind.interactive == false } ?? lane.count
                lane.insert(id, at: firstBatch)
            } else {
                lane.append(id)
            }
            pending[device] = lane
        }
        lock.unlock()
        if let device = plan.device { pump(device) } else { start(id) }
        return snapshot
    }

    /// Every job, oldest first.
    public var all: [JobSnapshot] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { records[$0]?.snapshot }
    }

    /// Job `id`'s snapshot, or a 404.
    public func snapshot(_ id: String) throws -> JobSnapshot {
        lock.lock(); defer { lock.unlock() }
        return try record(id).snapshot
    }

    /// The file a finished job wrote and its Content-Type, or a 404/409 saying why there is none.
    public func output(_ id: String) throws -> (path: String, type: String) {
        lock.lock(); defer { lock.unlock() }
        let record = try record(id)
        guard let url = record.plan.output, let type = record.plan.outputType else {
            throw StudioError.notFound("job \(id) (\(record.snapshot.kind.rawValue)) writes no file")
        }
        guard record.snapshot.state == .done else {
            throw StudioError.conflict("job \(id) is \(record.snapshot.state.rawValue), so it has no output yet")
        }
        return (url.path, type)
    }

    /// Cancels job `id`: a queued one never starts, a running one is interrupted (the renderer
    /// stops at the next frame and removes its partial output). A finished job is a 409.
    public func cancel(_ id: String) throws -> JobSnapshot {
        lock.lock()
        let record: Record
        do { record = try self.record(id) } catch { lock.unlock(); throw error }
        switch record.snapshot.state {
        case .queued:
            if let device = record.plan.device { pending[device]?.removeAll { $0 == id } }
            record.snapshot.state = .cancelled
            record.snapshot.message = "cancelled before it started"
            let snapshot = record.snapshot
            lock.unlock()
            publish(id, final: true)
            return snapshot
        case .running:
            record.cancelRequested = true
            let process = record.process
            let snapshot = record.snapshot
            lock.unlock()
            process?.interrupt()
            return snapshot
        case .done, .failed, .cancelled:
            let state = record.snapshot.state
            lock.unlock()
            throw StudioError.conflict("job \(id) is already \(state.rawValue); there is nothing to cancel")
        }
    }

    /// The job's snapshots as they change: the current one first, the stream ending after the final one.
    public func events(_ id: String) throws -> AsyncStream<JobSnapshot> {
        lock.lock(); defer { lock.unlock() }
        let record = try record(id)
        let (stream, continuation) = AsyncStream<JobSnapshot>.makeStream(bufferingPolicy: .bufferingNewest(8))
        continuation.yield(record.snapshot)
        if record.snapshot.state.isFinal {
            continuation.finish()
        } else {
            let key = UUID()
            record.subscribers[key] = continuation
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.lock.lock(); defer { self.lock.unlock() }
                self.records[id]?.subscribers[key] = nil
            }
        }
        return stream
    }

    /// Interrupts every running job and waits for them (the server is stopping).
    public func stopAll() {
        lock.lock()
        let processes = records.values.compactMap { $0.snapshot.state == .running ? $0.process : nil }
        records.values.forEach { if $0.snapshot.state == .running { $0.cancelRequested = true } }
        lock.unlock()
        processes.forEach { $0.interrupt() }
        processes.forEach { $0.waitUntilExit() }
    }

    // MARK: Running

    private func record(_ id: String) throws -> Record {
        guard Identifier.isWellFormed(id), let record = records[id] else {
            throw StudioError.notFound("no job with id '\(id.prefix(40))' (jobs last as long as the server runs)")
        }
        return record
    }

    private func pump(_ device: String) {
        var toStart: [String] = []
        lock.lock()
        while running[device, default: 0] < concurrency, var lane = pending[device], !lane.isEmpty {
            toStart.append(lane.removeFirst())
            pending[device] = lane
            running[device, default: 0] += 1
        }
        lock.unlock()
        toStart.forEach(start)
    }

    private func start(_ id: String) {
        lock.lock()
        guard let record = records[id] else { lock.unlock(); return }
        if record.plan.kind == .preview, let renderer, let device = record.plan.device {
            return startInProcess(id, record: record, renderer: renderer, device: device)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = record.plan.arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PORTRAIT_PROGRESS_SECONDS"] = "0.25"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty, let self else { return }
            self.lock.lock(); defer { self.lock.unlock() }
            self.records[id]?.stdout.append(data)
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            self?.stderrArrived(id, data)
        }
        process.terminationHandler = { [weak self] finished in
            // Drain what the pipes still hold before judging the job.
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            let restOut = out.fileHandleForReading.readDataToEndOfFile()
            let restErr = err.fileHandleForReading.readDataToEndOfFile()
            guard let self else { return }
            if !restErr.isEmpty { self.stderrArrived(id, restErr) }
            self.finished(id, status: finished.terminationStatus, reason: finished.terminationReason, rest: restOut)
        }
        record.process = process
        record.started = Date()
        record.snapshot.state = .running
        record.snapshot.elapsedSeconds = 0
        do {
            try process.run()
        } catch {
            record.snapshot.state = .failed
            record.snapshot.message = "cannot start \(executable.path): \(error.localizedDescription)"
            let device = record.plan.device
            if let device { running[device, default: 1] -= 1 }
            lock.unlock()
            publish(id, final: true)
            if let device { pump(device) }
            return
        }
        lock.unlock()
        publish(id, final: false)
    }

    /// Runs a job through `renderer` on the device's worker thread; called with the lock held, lets it go.
    private func startInProcess(_ id: String, record: Record, renderer: any InProcessRenderer, device: String) {
        let worker = workers[device] ?? DispatchQueue(label: "portrait-serve.\(device)")
        workers[device] = worker
        record.started = Date()
        record.snapshot.state = .running
        record.snapshot.elapsedSeconds = 0
        let job = InProcessJob(arguments: record.plan.arguments)
        lock.unlock()
        publish(id, final: false)
        worker.async { [weak self] in
            let outcome = Result { try renderer.render(job) }
            self?.finishedInProcess(id, outcome)
        }
    }

    private func finishedInProcess(_ id: String, _ outcome: Result<Bool, Error>) {
        lock.lock()
        guard let record = records[id] else { lock.unlock(); return }
        record.snapshot.elapsedSeconds = record.started.map { Date().timeIntervalSince($0) }
        switch outcome {
        case _ where record.cancelRequested:
            // A one-frame job is not stopped midway: its frame is thrown away.
            record.snapshot.state = .cancelled
            record.snapshot.message = "cancelled"
        case .success(let reused):
            record.snapshot.state = .done
            record.snapshot.sourceReused = reused
            record.snapshot.hasOutput = record.plan.output.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
        case .failure(let error):
            record.snapshot.state = .failed
            record.snapshot.message = clientVisible("\(error)")
        }
        conclude(record)
    }

    private func stderrArrived(_ id: String, _ data: Data) {
        lock.lock()
        guard let record = records[id] else { lock.unlock(); return }
        let text = record.partialLine + String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        record.partialLine = lines.removeLast()
        var changed = false
        for line in lines where !line.isEmpty {
            if let progress = ProgressLine(line) {
                record.snapshot.stage = progress.stage
                record.snapshot.framesDone = progress.done
                record.snapshot.framesTotal = progress.total
                record.snapshot.fps = progress.fps
                record.snapshot.etaSeconds = progress.etaSeconds
                record.snapshot.elapsedSeconds = record.started.map { Date().timeIntervalSince($0) }
                changed = true
            } else {
                record.stderrTail.append(line)
                if record.stderrTail.count > 20 { record.stderrTail.removeFirst() }
            }
        }
        lock.unlock()
        if changed { publish(id, final: false) }
    }

    private func finished(_ id: String, status: Int32, reason: Process.TerminationReason, rest: Data) {
        lock.lock()
        guard let record = records[id] else { lock.unlock(); return }
        record.stdout.append(rest)
        record.process = nil
        record.snapshot.elapsedSeconds = record.started.map { Date().timeIntervalSince($0) }
        if record.cancelRequested {
            record.snapshot.state = .cancelled
            let done = record.snapshot.framesDone
            record.snapshot.message = record.snapshot.stage == "rendering"
                ? "cancelled after \(done) rendered frame\(done == 1 ? "" : "s")" : "cancelled before the first rendered frame"
        } else if status == 0 && reason == .exit {
            record.snapshot.state = .done
            record.snapshot.hasOutput = record.plan.output.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
            if record.snapshot.kind == .faces || record.snapshot.kind == .verify {
                record.snapshot.result = clientVisible(String(decoding: record.stdout, as: UTF8.self))
            }
        } else if record.snapshot.kind == .verify && status == 1 && reason == .exit {
            // verify exits 1 for a file with no mark: a finding, not a failure.
            record.snapshot.state = .done
            record.snapshot.result = clientVisible(String(decoding: record.stdout, as: UTF8.self))
        } else {
            record.snapshot.state = .failed
            let why = record.stderrTail.last { !$0.hasPrefix("warning") } ?? record.stderrTail.last
            record.snapshot.message = why.map(clientVisible) ?? (reason == .uncaughtSignal ? "the renderer was killed by signal \(status)" : "the renderer exited with status \(status)")
        }
        conclude(record)
    }

    /// Ends a finished job: records what it made, frees its device slot (called with the lock
    /// held, lets it go), tells its watchers and starts the next job.
    private func conclude(_ record: Record) {
        let id = record.snapshot.id
        // Recorded before the lock is let go, so whoever sees the job done also sees what it made.
        if record.snapshot.state == .done { onSuccess(record.snapshot) }
        let device = record.plan.device
        if let device { running[device, default: 1] -= 1 }
        lock.unlock()
        publish(id, final: true)
        if let device { pump(device) }
    }

    private func publish(_ id: String, final: Bool) {
        lock.lock()
        guard let record = records[id] else { lock.unlock(); return }
        let snapshot = record.snapshot
        let subscribers = Array(record.subscribers.values)
        if final { record.subscribers = [:] }
        lock.unlock()
        for continuation in subscribers {
            continuation.yield(snapshot)
            if final { continuation.finish() }
        }
    }
}
