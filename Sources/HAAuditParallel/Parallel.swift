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
package func parallelMap<Item: Sendable, Result: Sendable>(_ items: [Item], jobs: Int, chunk: Int = 1,
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
package func parallelSorted<Item: Sendable>(_ items: [Item], jobs: Int, by areInIncreasingOrder: @escaping @Sendable (Item, Item) -> Bool) -> [Item] {
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
package func streamingParallelMap<Item: Sendable, Result: Sendable>(jobs: Int, batch: Int, produce: ((Item) -> Void) -> Void,
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
        // While the next result is not ready, map a batch here if one is left; else wait for it.
        if !finished.isReady(at: next), let (start, items) = arrivals.take() {
            finished.put(start, count: items.count, transform(items))
            continue
        }
        let (count, result) = finished.take(at: next)
        consume(result)
        next += count
    }
    workers.wait()
}

/// Results of batches, by the position of their first item, until they are taken in order.
private final class Finished<Result: Sendable>: @unchecked Sendable {
    private let monitor = Monitor()
    // Guarded by `monitor`.
    private var results: [Int: (count: Int, result: Result)] = [:]

    func put(_ start: Int, count: Int, _ result: Result) {
        monitor.locked {
            results[start] = (count, result)
            monitor.signalAll()
        }
    }

    func isReady(at start: Int) -> Bool {
        monitor.locked { results[start] != nil }
    }

    /// The result of the batch starting at `start`, with its number of items, once it is put.
    func take(at start: Int) -> (count: Int, result: Result) {
        monitor.locked {
            while results[start] == nil { monitor.wait() }
            return results.removeValue(forKey: start)!
        }
    }
}

/// Items handed from a producer to the threads that wait for them, in batches.
private final class Arrivals<Item: Sendable>: @unchecked Sendable {
    private let batchSize: Int
    private let takers: Int
    private let monitor = Monitor()
    // Guarded by `monitor`.
    private var items: [Item] = []
    private var taken = 0
    private var finished = false

    init(batch: Int, takers: Int) {
        batchSize = batch
        self.takers = takers
    }

    func add(_ item: Item) {
        monitor.locked {
            items.append(item)
            if items.count - taken == batchSize { monitor.signalAll() }
        }
    }

    /// No more items will come; returns how many came.
    func finish() -> Int {
        monitor.locked {
            finished = true
            monitor.signalAll()
            return items.count
        }
    }

    /// The next batch, with the position of its first item, once a whole batch has arrived; nil
    /// when every item is taken and no more will come. Once all have arrived, batches shrink
    /// towards the end, so that no thread is left finishing a long one alone. A copy: a slice
    /// would share `items`, and every later `add` would then copy the whole list.
    func take() -> (start: Int, items: [Item])? {
        monitor.locked {
            while items.count - taken < batchSize && !finished { monitor.wait() }
            let remaining = items.count - taken
            guard remaining > 0 else { return nil }
            let size = finished ? min(batchSize, max(1, remaining / (2 * takers))) : batchSize
            defer { taken += size }
            return (taken, Array(items[taken..<taken + size]))
        }
    }
}

/// A mutex with one condition variable (pthread's: `Synchronization.Mutex` cannot wait).
private final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the mutex; inside it, `wait` releases it until `signalAll`.
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    func wait() { pthread_cond_wait(condition, mutex) }

    func signalAll() { pthread_cond_broadcast(condition) }
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
