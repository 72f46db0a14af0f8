/// A position in a source file, 1-based.
public struct Position: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One node of a parsed YAML or JSON document, with the position it starts at.
///
/// This is the only document representation frontends see: the YAML and JSON readers both
/// produce it, so a frontend never knows (or cares) which syntax a manifest was written in.
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

    public var content: Content
    /// An explicit local tag such as `!Ref`; nil for untagged nodes and standard `!!` tags.
    public var tag: String?
    public var position: Position

    public init(_ content: Content, tag: String? = nil, at position: Position) {
        self.content = content
        self.tag = tag
        self.position = position
    }
}

extension Node {
    /// The value under `key` when this node is a mapping.
    public subscript(key: String) -> Node? {
        entry(key)?.value
    }

    /// The entry under `key` (key and value, so a finding can anchor on the key).
    public func entry(_ key: String) -> Entry? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.first { $0.key.scalar == key }
    }

    public var entries: [Entry] {
        if case .mapping(let entries) = content { return entries }
        return []
    }

    public var items: [Node] {
        if case .sequence(let items) = content { return items }
        return []
    }

    public var isMapping: Bool {
        if case .mapping = content { return true }
        return false
    }

    public var isSequence: Bool {
        if case .sequence = content { return true }
        return false
    }

    /// The text of a scalar, whatever its type.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// A scalar that is not null.
    public var string: String? {
        isNull ? nil : scalar
    }

    public var isNull: Bool {
        guard case .scalar(let text, .plain) = content, tag == nil else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// An integer written as a plain scalar (`3`, `+3`, `0x1f`); quoted text is not a number.
    public var int: Int? {
        guard case .scalar(let text, .plain) = content else { return nil }
        if let value = Int(text) { return value }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return value }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return value }
        if text.hasPrefix("+"), let value = Int(text.dropFirst()) { return value }
        if let double = Double(text), double == double.rounded(), abs(double) < 1e15 { return Int(double) }
        return nil
    }

    /// A boolean written as a plain scalar (YAML 1.1 spellings included).
    public var bool: Bool? {
        guard case .scalar(let text, .plain) = content else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// The value at a path of mapping keys, e.g. `node[path: "spec", "template", "spec"]`.
    public subscript(path keys: String...) -> Node? {
        var node: Node? = self
        for key in keys { node = node?[key] }
        return node
    }
}
