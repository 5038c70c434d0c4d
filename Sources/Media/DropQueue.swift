import Foundation

/// A bounded hand-over between two pipeline threads where the newest item wins: `push` never
/// blocks; when the queue is full the oldest item waiting is dropped (and counted), so a slow
/// consumer sees fresh items and the wait in the queue stays bounded by `capacity` items.
/// `pop` blocks until an item arrives or the queue is closed and empty. Thread-safe.
public final class DropQueue<Element>: @unchecked Sendable {
    /// Most items waiting at once (at least 1).
    public let capacity: Int
    private var items: [Element] = []
    private var closed = false
    private var droppedCount = 0
    private var pushedCount = 0
    private let condition = NSCondition()

    /// An empty queue holding at most `capacity` (≥ 1) items.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        items.reserveCapacity(self.capacity + 1)
    }

    /// Adds `item`; when the queue was full, drops the oldest and returns it. After `close()`
    /// the item itself is refused and returned (and counted as dropped).
    @discardableResult
    public func push(_ item: Element) -> Element? {
        condition.lock(); defer { condition.unlock() }
        pushedCount += 1
        if closed { droppedCount += 1; return item }
        var dropped: Element?
        if items.count >= capacity {
            dropped = items.removeFirst()
            droppedCount += 1
        }
        items.append(item)
        condition.signal()
        return dropped
    }

    /// The oldest waiting item; blocks while the queue is empty and open; nil once closed and empty.
    public func pop() -> Element? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        return items.isEmpty ? nil : items.removeFirst()
    }

    /// Ends the queue: waiting items are still delivered, then `pop` returns nil; later pushes are dropped.
    public func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }

    /// Drops every waiting item (counted) and closes the queue: for stopping on an error.
    public func discard() {
        condition.lock()
        droppedCount += items.count
        items.removeAll()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Items dropped so far (pushed out by newer ones, or pushed after close).
    public var dropped: Int { condition.lock(); defer { condition.unlock() }; return droppedCount }
    /// Items pushed so far.
    public var pushed: Int { condition.lock(); defer { condition.unlock() }; return pushedCount }
    /// Whether the queue is closed and empty: `pop` returns nil from now on.
    public var isFinished: Bool { condition.lock(); defer { condition.unlock() }; return closed && items.isEmpty }
    /// Items waiting now.
    public var count: Int { condition.lock(); defer { condition.unlock() }; return items.count }
}
