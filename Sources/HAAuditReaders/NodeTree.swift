#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every node of one file, in flat arrays: the storage `Node` handles point into.
/// Immutable once built, so it is shared between threads freely.
final class NodeTree: @unchecked Sendable {
    enum Kind: UInt8, Sendable {
        case plain, quoted, mapping, sequence
    }

    struct Record: Sendable {
        var kind: Kind
        /// Index into `tags`, or -1.
        var tag: Int32
        var line: Int32
        var column: Int32
        /// Scalars: the text's offset in `bytes`; containers: the first child's offset in `children`.
        var start: Int32
        /// Scalars: the text's length in bytes; containers: the number of children (a
        /// mapping's are key, value, key, value, ...).
        var count: Int32
    }

    // Immutable buffers owned by the tree: reading them costs no reference counting, which
    // matters on the hottest path (key lookups). The three share one allocation.
    let records: UnsafeBufferPointer<Record>
    let children: UnsafeBufferPointer<Int32>
    let bytes: UnsafeBufferPointer<UInt8>
    let tags: [String]
    private let storage: UnsafeMutableRawPointer

    init(records: [Record], bytes: [UInt8], children: [Int32], tags: [String]) {
        let recordBytes = records.count * MemoryLayout<Record>.stride
        let childBytes = children.count * MemoryLayout<Int32>.stride
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(recordBytes + childBytes + bytes.count, 1),
                                                       alignment: MemoryLayout<Record>.alignment)
        self.storage = storage
        func place<T>(_ array: [T], at offset: Int) -> UnsafeBufferPointer<T> {
            let start = (storage + offset).bindMemory(to: T.self, capacity: array.count)
            _ = UnsafeMutableBufferPointer(start: start, count: array.count).initialize(from: array)
            return UnsafeBufferPointer(start: start, count: array.count)
        }
        self.records = place(records, at: 0)
        self.children = place(children, at: recordBytes)
        self.bytes = place(bytes, at: recordBytes + childBytes)
        self.tags = tags
    }

    deinit {
        storage.deallocate()
    }

    func text(_ record: Record) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(record.start)..<Int(record.start + record.count)]), as: UTF8.self)
    }

    /// Where the key `key` of mapping record `mapping` is in `children`, if it has that key.
    func keyIndex(_ key: String, in mapping: Int32) -> Int32? {
        let record = records[Int(mapping)]
        guard record.kind == .mapping else { return nil }
        var key = key
        return key.withUTF8 { wanted in
            var position = record.start
            while position < record.start + record.count {
                if scalarEquals(children[Int(position)], wanted) { return position }
                position += 2
            }
            return nil
        }
    }

    /// Whether record `index` is a scalar whose text is exactly `wanted`.
    func scalarEquals(_ index: Int32, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let record = records[Int(index)]
        guard record.kind == .plain || record.kind == .quoted, Int(record.count) == wanted.count else { return false }
        return wanted.isEmpty || memcmp(bytes.baseAddress! + Int(record.start), wanted.baseAddress!, wanted.count) == 0
    }
}
