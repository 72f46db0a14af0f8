import HAAuditModel

/// Builds a `NodeTree` from a reader's events: scalars, the start and end of containers, and
/// references to nodes already built (YAML aliases).
struct NodeTreeBuilder {
    private var records: [NodeTree.Record] = []
    private var bytes: [UInt8] = []
    private var children: [Int32] = []
    private var tags: [String] = []
    private var tagIndex: [String: Int32] = [:]
    /// The children of the containers still open, innermost last.
    private var pending: [Int32] = []
    /// The open containers: their record and where their children start in `pending`.
    private var open: [(record: Int32, firstChild: Int)] = []

    var depth: Int { open.count }

    init(expectedBytes: Int) {
        bytes.reserveCapacity(expectedBytes)
        records.reserveCapacity(expectedBytes / 8)
        children.reserveCapacity(expectedBytes / 8)
    }

    /// A builder whose scalars may be ranges of `source`, which it keeps a copy of: a reader
    /// that finds scalars verbatim in its input then copies the input once, not each scalar.
    init(source: UnsafeBufferPointer<UInt8>) {
        self.init(expectedBytes: source.count)
        bytes.append(contentsOf: source)
    }

    private mutating func intern(_ tag: String?) -> Int32 {
        guard let tag else { return -1 }
        if let index = tagIndex[tag] { return index }
        let index = Int32(tags.count)
        tags.append(tag)
        tagIndex[tag] = index
        return index
    }

    /// Adds a scalar; returns its index.
    @discardableResult
    mutating func scalar(_ text: UnsafeBufferPointer<UInt8>, quoted: Bool, tag: String?, at position: Position) -> Int32 {
        let start = bytes.count
        bytes.append(contentsOf: text)
        return scalar(source: start..<bytes.count, quoted: quoted, tag: tag, at: position)
    }

    /// Adds a scalar whose text is `range` of the bytes so far (of the source this builder was
    /// made with, say).
    @discardableResult
    mutating func scalar(source range: Range<Int>, quoted: Bool, tag: String?, at position: Position) -> Int32 {
        let index = Int32(records.count)
        records.append(.init(kind: quoted ? .quoted : .plain, tag: intern(tag), line: Int32(clamping: position.line),
                             column: Int32(clamping: position.column), start: Int32(range.lowerBound), count: Int32(range.count)))
        attach(index)
        return index
    }

    mutating func begin(mapping: Bool, tag: String?, at position: Position) {
        let index = Int32(records.count)
        records.append(.init(kind: mapping ? .mapping : .sequence, tag: intern(tag), line: Int32(clamping: position.line),
                             column: Int32(clamping: position.column), start: 0, count: 0))
        open.append((index, pending.count))
    }

    /// Closes the innermost container; returns its index. `rewrite` may change its children
    /// (YAML merge keys) before they are stored.
    @discardableResult
    mutating func end(rewrite: ((inout [Int32], NodeTreeBuilder) -> Void)? = nil) -> Int32 {
        let (index, firstChild) = open.removeLast()
        records[Int(index)].start = Int32(children.count)
        if let rewrite {
            var own = Array(pending[firstChild...])
            rewrite(&own, self)
            children.append(contentsOf: own)
        } else {
            children.append(contentsOf: pending[firstChild...])
        }
        records[Int(index)].count = Int32(children.count) - records[Int(index)].start
        pending.removeSubrange(firstChild...)
        attach(index)
        return index
    }

    /// The children of the innermost open container, so far.
    var openChildren: ArraySlice<Int32> {
        guard let last = open.last else { return [] }
        return pending[last.firstChild...]
    }

    /// Adds a node that stands for one already built (an alias), at its own position.
    @discardableResult
    mutating func reference(_ target: Int32, at position: Position) -> Int32 {
        var record = records[Int(target)]
        record.line = Int32(clamping: position.line)
        record.column = Int32(clamping: position.column)
        let index = Int32(records.count)
        records.append(record)
        attach(index)
        return index
    }

    private mutating func attach(_ index: Int32) {
        if !open.isEmpty { pending.append(index) }
    }

    /// The error of a mapping that gives a key twice (Kubernetes and CloudFormation reject it):
    /// at the second of the first two equal keys of the innermost open mapping, if any. Keys
    /// compare by text, as both platforms read keys as strings; merge keys (`<<`) are no keys
    /// of their own.
    func repeatedKeyError() -> ReadError? {
        let children = openChildren
        var repeated: (first: Int32, second: Int32)?
        if children.count <= 32 {
            // A handful of keys: compared in place, making nothing.
            search: for later in stride(from: children.startIndex + 2, to: children.endIndex, by: 2) where isKey(children[later]) {
                for earlier in stride(from: children.startIndex, to: later, by: 2) where sameText(children[earlier], children[later]) {
                    repeated = (children[earlier], children[later])
                    break search
                }
            }
        } else {
            var seen: [String: Int32] = [:]
            for position in stride(from: children.startIndex, to: children.endIndex, by: 2) where isKey(children[position]) {
                if let earlier = seen.updateValue(children[position], forKey: text(of: children[position])!) {
                    repeated = (earlier, children[position])
                    break
                }
            }
        }
        guard let (first, second) = repeated else { return nil }
        return ReadError(message: "the key \"\(text(of: second)!)\" is given twice in one mapping (first at line \(records[Int(first)].line))",
                         position: Position(line: Int(records[Int(second)].line), column: Int(records[Int(second)].column)))
    }

    private func isKey(_ index: Int32) -> Bool {
        let kind = records[Int(index)].kind
        return (kind == .plain || kind == .quoted) && !isMergeKey(index)
    }

    /// Whether two records are scalars of the same text.
    private func sameText(_ first: Int32, _ second: Int32) -> Bool {
        let (a, b) = (records[Int(first)], records[Int(second)])
        guard a.kind == .plain || a.kind == .quoted, b.kind == .plain || b.kind == .quoted, a.count == b.count else { return false }
        return bytes[Int(a.start)..<Int(a.start + a.count)].elementsEqual(bytes[Int(b.start)..<Int(b.start + b.count)])
    }

    /// Whether record `index` is the plain scalar `<<`, a YAML merge key, while building.
    func isMergeKey(_ index: Int32) -> Bool {
        let record = records[Int(index)]
        return record.kind == .plain && record.tag < 0 && record.count == 2
            && bytes[Int(record.start)] == UInt8(ascii: "<") && bytes[Int(record.start) + 1] == UInt8(ascii: "<")
    }

    /// The children of a finished container, while building.
    func childrenOf(_ index: Int32) -> ArraySlice<Int32> {
        let record = records[Int(index)]
        guard record.kind == .mapping || record.kind == .sequence else { return [] }
        return children[Int(record.start)..<Int(record.start + record.count)]
    }

    func kind(of index: Int32) -> NodeTree.Kind { records[Int(index)].kind }

    /// The text of a scalar record, while building.
    func text(of index: Int32) -> String? {
        let record = records[Int(index)]
        guard record.kind == .plain || record.kind == .quoted else { return nil }
        return String(decoding: bytes[Int(record.start)..<Int(record.start + record.count)], as: UTF8.self)
    }

    func finish() -> NodeTree {
        NodeTree(records: records, bytes: bytes, children: children, tags: tags)
    }
}
