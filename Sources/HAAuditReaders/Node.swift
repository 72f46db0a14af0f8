import HAAuditModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One node of a parsed YAML or JSON document, with the position it starts at.
///
/// This is the only document representation frontends see: the YAML and JSON readers both
/// produce it, so a frontend never knows (or cares) which syntax a manifest was written in.
///
/// A node is a handle into its file's `NodeTree`: a few flat arrays that hold every node, so
/// that reading a file costs a handful of allocations instead of one or two per node, and
/// looking up a key compares bytes without making strings.
public struct Node: Sendable {
    public enum Style: Sendable {
        /// An unquoted scalar: its text may be a number, a boolean or null.
        case plain
        /// A quoted or block scalar: always a string.
        case quoted
    }

    public enum Content: Sendable {
        case scalar(String, Style)
        case mapping([Entry])
        case sequence([Node])
    }

    public struct Entry: Sendable {
        public var key: Node
        public var value: Node
    }

    let tree: NodeTree
    let index: Int32

    private var record: NodeTree.Record { tree.records[Int(index)] }

    public var position: Position {
        let record = record
        return Position(line: Int(record.line), column: Int(record.column))
    }

    /// An explicit local tag such as `!Ref`; nil for untagged nodes and standard `!!` tags.
    public var tag: String? {
        let tag = record.tag
        return tag < 0 ? nil : tree.tags[Int(tag)]
    }

    /// The node's content, made on demand (prefer the accessors below, which make nothing).
    public var content: Content {
        switch record.kind {
        case .mapping: .mapping(entries)
        case .sequence: .sequence(items)
        case .plain: .scalar(scalar ?? "", .plain)
        case .quoted: .scalar(scalar ?? "", .quoted)
        }
    }

    private var children: Slice<UnsafeBufferPointer<Int32>> {
        let record = record
        guard record.kind == .mapping || record.kind == .sequence else { return tree.children[0..<0] }
        return tree.children[Int(record.start)..<Int(record.start + record.count)]
    }
}

extension Node {
    /// The value under `key` when this node is a mapping.
    public subscript(key: String) -> Node? {
        tree.keyIndex(key, in: index).map { Node(tree: tree, index: tree.children[Int($0) + 1]) }
    }

    /// The entry under `key` (key and value, so a finding can anchor on the key).
    public func entry(_ key: String) -> Entry? {
        tree.keyIndex(key, in: index).map {
            Entry(key: Node(tree: tree, index: tree.children[Int($0)]), value: Node(tree: tree, index: tree.children[Int($0) + 1]))
        }
    }

    public var entries: [Entry] {
        guard record.kind == .mapping else { return [] }
        let children = children
        return stride(from: children.startIndex, to: children.endIndex, by: 2).map {
            Entry(key: Node(tree: tree, index: children[$0]), value: Node(tree: tree, index: children[$0 + 1]))
        }
    }

    public var items: [Node] {
        guard record.kind == .sequence else { return [] }
        return children.map { Node(tree: tree, index: $0) }
    }

    public var isMapping: Bool { record.kind == .mapping }

    public var isSequence: Bool { record.kind == .sequence }

    /// The text of a scalar, whatever its type.
    public var scalar: String? {
        let record = record
        guard record.kind == .plain || record.kind == .quoted else { return nil }
        return tree.text(record)
    }

    /// A scalar that is not null.
    public var string: String? {
        isNull ? nil : scalar
    }

    public var isNull: Bool {
        let record = record
        guard record.kind == .plain, record.tag < 0 else { return false }
        switch record.count {
        case 0: return true
        case 1: return tree.bytes[Int(record.start)] == UInt8(ascii: "~")
        case 4:
            let text = tree.bytes[Int(record.start)..<Int(record.start) + 4]
            return text.elementsEqual("null".utf8) || text.elementsEqual("Null".utf8) || text.elementsEqual("NULL".utf8)
        default: return false
        }
    }

    /// An integer written as a plain scalar (`3`, `+3`, `0x1f`); quoted text is not a number.
    public var int: Int? {
        guard record.kind == .plain, record.count > 0 else { return nil }
        // Most scalars are words: none of the parsers below can take what starts with a letter.
        let first = tree.bytes[Int(record.start)]
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")), let text = scalar else { return nil }
        if let value = Int(text) { return value }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return value }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return value }
        if text.hasPrefix("+"), let value = Int(text.dropFirst()) { return value }
        if let double = Double(text), double == double.rounded(), abs(double) < 1e15 { return Int(double) }
        return nil
    }

    /// A boolean written as a plain scalar (YAML 1.1 spellings included).
    public var bool: Bool? {
        guard record.kind == .plain, let text = scalar else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// The scalar's text as a YAML 1.1 loader (CloudFormation's) hands it on: a plain boolean
    /// is `true` or `false`, a plain integer (`0x10`, `010`, `0b11`, `1_000`) its decimal, a
    /// plain float (`1.0`, `5.10`) its shortest decimal (`5.1`); quoted text and anything else
    /// as written.
    public var resolvedText: String? {
        guard let text = scalar else { return nil }
        guard record.kind == .plain else { return text }
        if let flag = bool { return String(flag) }
        if let integer = Self.yaml11Integer(text) { return String(integer) }
        if let float = Self.yaml11Float(text) { return String(float) }
        return text
    }

    /// `[-+]?` then `0x` hex, `0b` binary, `0` octal or decimal digits, with `_` between them.
    private static func yaml11Integer(_ text: String) -> Int? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let radix: Int
        if digits.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        } else {
            radix = 10
        }
        guard let first = digits.first, first != "_", digits.allSatisfy({ $0 == "_" || $0.isHexDigit }),
              let magnitude = Int(String(digits.filter { $0 != "_" }), radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// `[-+]?`, digits and `_` with one `.`, then an optional exponent (YAML 1.1 floats need the dot).
    private static func yaml11Float(_ text: String) -> Double? {
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        var exponent = text.dropFirst(mantissa.count)
        let unsigned = mantissa.first == "-" || mantissa.first == "+" ? mantissa.dropFirst() : mantissa
        guard unsigned.filter({ $0 == "." }).count == 1, unsigned.contains(where: \.isASCIIDigit),
              unsigned.first != "_", unsigned.allSatisfy({ $0.isASCIIDigit || $0 == "_" || $0 == "." }) else { return nil }
        if !exponent.isEmpty {
            exponent = exponent.dropFirst()
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        return Double(text.filter { $0 != "_" })
    }

    /// The value at a path of mapping keys, e.g. `node[path: "spec", "template", "spec"]`.
    public subscript(path keys: String...) -> Node? {
        // Walks record indices, making a node only for the end of the path.
        var index = index
        for key in keys {
            guard let found = tree.keyIndex(key, in: index) else { return nil }
            index = tree.children[Int(found) + 1]
        }
        return Node(tree: tree, index: index)
    }
}

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

extension Node {
    /// Every node below this one, a line each, with its position, tag and kind: how tests and the
    /// fuzz target compare trees built by different readers.
    package var outline: String {
        var lines: [String] = []
        func visit(_ node: Node, depth: Int) {
            let head = String(repeating: "  ", count: depth) + "\(node.position.line):\(node.position.column) \(node.tag ?? "")"
            switch node.content {
            case .scalar(let text, let style): lines.append("\(head) \(style) \(text.debugDescription)")
            case .sequence(let items):
                lines.append("\(head) sequence")
                for item in items { visit(item, depth: depth + 1) }
            case .mapping(let entries):
                lines.append("\(head) mapping")
                for entry in entries {
                    visit(entry.key, depth: depth + 1)
                    visit(entry.value, depth: depth + 1)
                }
            }
        }
        visit(self, depth: 0)
        return lines.joined(separator: "\n")
    }
}

extension Character {
    /// `0` to `9` only (`isNumber` takes every script's digits, and fractions).
    package var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
