import Foundation

/// A bounded store of values made once and used again, least recently used first out: the
/// studio's engines, networks and framed sources (`portrait serve`'s in-process renderer). Safe
/// to call from several threads; a value is made outside the lock (a network load does not hold
/// up another device's lookups), so two threads asking at once for the same missing key may both
/// make it (the last one made is kept).
public final class LRUCache<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    /// Keys, least recently used first.
    private var order: [String] = []
    /// The most values it holds.
    public let capacity: Int

    /// An empty cache of at most `capacity` values (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value for `key`, made by `make` when there is none (evicting the least recently used
    /// value when full), and whether it was there already. A `make` that throws stores nothing.
    public func value(for key: String, make: () throws -> Value) rethrows -> (value: Value, hit: Bool) {
        lock.lock()
        if let value = values[key] {
            order.removeAll { $0 == key }
            order.append(key)
            lock.unlock()
            return (value, true)
        }
        lock.unlock()
        let value = try make()
        lock.lock(); defer { lock.unlock() }
        order.removeAll { $0 == key }
        while values[key] == nil, values.count >= capacity, let oldest = order.first {
            order.removeFirst()
            values[oldest] = nil
        }
        values[key] = value
        order.append(key)
        return (value, false)
    }

    /// The keys held, least recently used first.
    public var keys: [String] {
        lock.lock(); defer { lock.unlock() }
        return order
    }

    /// Drops every value whose key satisfies `predicate` (e.g. those made from a deleted upload).
    public func removeAll(where predicate: (String) -> Bool) {
        lock.lock(); defer { lock.unlock() }
        for key in order where predicate(key) { values[key] = nil }
        order.removeAll(where: predicate)
    }
}
