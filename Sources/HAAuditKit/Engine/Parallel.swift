import Dispatch
import Synchronization

/// Maps `items` on up to `jobs` threads and returns the results in the items' order, so that
/// nothing downstream depends on how many threads ran. Workers take the next `chunk` items as
/// they finish, so a few large files do not leave a thread idle, while cheap items (components)
/// go in chunks that keep the shared counter quiet.
func parallelMap<Item: Sendable, Result: Sendable>(_ items: [Item], jobs: Int, chunk: Int = 1,
                                                   _ transform: @Sendable (Item) -> Result) -> [Result] {
    let workers = max(1, min(jobs, items.count))
    guard workers > 1 else { return items.map(transform) }
    let results = Slots<Result>(count: items.count)
    let next = Counter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let start = next.take() * chunk
            guard start < items.count else { return }
            for index in start..<min(start + chunk, items.count) {
                results.set(index, transform(items[index]))
            }
        }
    }
    return results.values()
}

private final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// The next index, each handed out once.
    func take() -> Int {
        value.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

/// One slot per item, each written by one worker only, then read after all have finished.
/// Raw storage, because concurrent writes to distinct elements of an array would trip Swift's
/// exclusivity checks.
private final class Slots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Value) { storage[index] = value }

    func values() -> [Value] { (0..<count).map { storage[$0]! } }
}
