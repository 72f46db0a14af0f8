import HAAuditModel

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

    /// A node's identity within its document, for maps from nodes to what is known about them.
    package typealias ID = Int32
    package var id: ID { index }

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
