#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

/// `items` sorted, stably: with several jobs, in runs sorted at once, then merged.
func parallelSorted<Item: Sendable>(_ items: [Item], jobs: Int, by areInIncreasingOrder: @escaping @Sendable (Item, Item) -> Bool) -> [Item] {
    let runs = min(jobs, items.count / 4096)
    guard runs > 1 else { return items.sorted(by: areInIncreasingOrder) }
    let bounds = (0...runs).map { $0 * items.count / runs }
    var sorted = parallelMap(Array(0..<runs), jobs: jobs) { run in items[bounds[run]..<bounds[run + 1]].sorted(by: areInIncreasingOrder) }
    while sorted.count > 1 {
        sorted = stride(from: 0, to: sorted.count, by: 2).map { index in
            index + 1 < sorted.count ? merged(sorted[index], sorted[index + 1], by: areInIncreasingOrder) : sorted[index]
        }
    }
    return sorted[0]
}

/// Two sorted runs as one; on a tie the left run's item comes first, which keeps it stable.
private func merged<Item>(_ left: [Item], _ right: [Item], by areInIncreasingOrder: (Item, Item) -> Bool) -> [Item] {
    var result: [Item] = []
    result.reserveCapacity(left.count + right.count)
    var (l, r) = (0, 0)
    while l < left.count && r < right.count {
        if areInIncreasingOrder(right[r], left[l]) {
            result.append(right[r])
            r += 1
        } else {
            result.append(left[l])
            l += 1
        }
    }
    result += left[l...]
    result += right[r...]
    return result
}

/// Maps items while they are still being produced, and hands the results over in the items'
/// order as soon as they are ready. `produce` runs on the calling thread and hands over each
/// item, while `jobs - 1` other threads map them in batches of `batch` consecutive items as they
/// arrive; once it has produced them all, the calling thread passes each result to `consume`,
/// in order, mapping batches of its own while the next result is not ready. So what `consume`
/// does in order (merging, assembling) overlaps the mapping. With one job, the items are
/// produced, then mapped and consumed batch by batch.
func streamingParallelMap<Item: Sendable, Result: Sendable>(jobs: Int, batch: Int, produce: ((Item) -> Void) -> Void,
                                                            _ transform: @escaping @Sendable ([Item]) -> Result,
                                                            consume: (Result) -> Void) {
    guard jobs > 1 else {
        var items: [Item] = []
        produce { items.append($0) }
        for start in stride(from: 0, to: items.count, by: batch) {
            consume(transform(Array(items[start..<min(start + batch, items.count)])))
        }
        return
    }
    let arrivals = Arrivals<Item>(batch: batch, takers: jobs)
    let finished = Finished<Result>()
    @Sendable func work() {
        while let (start, items) = arrivals.take() { finished.put(start, count: items.count, transform(items)) }
    }
    let workers = DispatchGroup()
    for _ in 1..<jobs { DispatchQueue.global().async(group: workers, execute: work) }
    produce(arrivals.add)
    let total = arrivals.finish()
    var next = 0
    while next < total {
        if let (count, result) = finished.take(at: next, waiting: false) {
            consume(result)
            next += count
        } else if let (start, items) = arrivals.take() {
            finished.put(start, count: items.count, transform(items))
        } else if let (count, result) = finished.take(at: next, waiting: true) {
            consume(result)
            next += count
        }
    }
    workers.wait()
}

/// Results of batches, by the position of their first item, until they are taken in order.
private final class Finished<Result: Sendable>: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let added = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var results: [Int: (count: Int, result: Result)] = [:]

    init() {
        pthread_mutex_init(lock, nil)
        pthread_cond_init(added, nil)
    }

    deinit {
        pthread_cond_destroy(added)
        pthread_mutex_destroy(lock)
        added.deallocate()
        lock.deallocate()
    }

    func put(_ start: Int, count: Int, _ result: Result) {
        pthread_mutex_lock(lock)
        results[start] = (count, result)
        pthread_cond_broadcast(added)
        pthread_mutex_unlock(lock)
    }

    /// The result of the batch starting at `start`, with its number of items; nil if it is not
    /// ready and `waiting` is false.
    func take(at start: Int, waiting: Bool) -> (count: Int, result: Result)? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while results[start] == nil {
            guard waiting else { return nil }
            pthread_cond_wait(added, lock)
        }
        return results.removeValue(forKey: start)
    }
}

/// Items handed from a producer to the threads that wait for them, in batches.
private final class Arrivals<Item: Sendable>: @unchecked Sendable {
    private let batchSize: Int
    private let takers: Int
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let arrived = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var items: [Item] = []
    private var taken = 0
    private var finished = false

    init(batch: Int, takers: Int) {
        batchSize = batch
        self.takers = takers
        pthread_mutex_init(lock, nil)
        pthread_cond_init(arrived, nil)
    }

    deinit {
        pthread_cond_destroy(arrived)
        pthread_mutex_destroy(lock)
        arrived.deallocate()
        lock.deallocate()
    }

    func add(_ item: Item) {
        pthread_mutex_lock(lock)
        items.append(item)
        if items.count - taken == batchSize { pthread_cond_broadcast(arrived) }
        pthread_mutex_unlock(lock)
    }

    /// No more items will come; returns how many came.
    func finish() -> Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        finished = true
        pthread_cond_broadcast(arrived)
        return items.count
    }

    /// The next batch, with the position of its first item, once a whole batch has arrived; nil
    /// when every item is taken and no more will come. Once all have arrived, batches shrink
    /// towards the end, so that no thread is left finishing a long one alone. A copy: a slice
    /// would share `items`, and every later `add` would then copy the whole list.
    func take() -> (start: Int, items: [Item])? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while items.count - taken < batchSize && !finished { pthread_cond_wait(arrived, lock) }
        let remaining = items.count - taken
        guard remaining > 0 else { return nil }
        let size = finished ? min(batchSize, max(1, remaining / (2 * takers))) : batchSize
        defer { taken += size }
        return (taken, Array(items[taken..<taken + size]))
    }
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
