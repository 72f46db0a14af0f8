import CLibYAML

/// Builds `Node` trees straight from libyaml's event stream.
///
/// Going from events to our own small tree (instead of through a general-purpose YAML library's
/// node graph) keeps the hot path short, and lets the reader enforce the limits that make hostile
/// input safe: nesting depth, and how far aliases may expand (billion laughs, CVE-2019-11253).
struct YAMLReader: DocumentReader {
    var limits: ReaderLimits

    func read(_ bytes: [UInt8]) throws(ReadError) -> [Node] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ReadError(message: "libyaml could not allocate a parser", position: Position(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ReadError) -> [Node] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(limits: limits)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Self.syntaxError(parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.consume(event)
            }
            return builder.documents
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t) -> ReadError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        var message = "YAML syntax error: \(problem)"
        if let context = parser.context {
            message += " \(String(cString: context))"
        }
        let mark = parser.problem_mark
        return ReadError(message: message, position: Position(line: mark.line + 1, column: mark.column + 1))
    }
}

/// Limits that keep a hostile document from exhausting time or memory.
public struct ReaderLimits: Sendable {
    /// Deepest nesting of mappings and sequences.
    public var maxDepth = 512
    /// How many nodes a document may have once its aliases are expanded, as a multiple of the
    /// nodes actually written (plus `aliasAllowance`): a few aliases are fine, a bomb is not.
    public var aliasExpansionFactor = 100
    public var aliasAllowance = 100_000

    public init() {}
}

private struct TreeBuilder {
    let limits: ReaderLimits
    var documents: [Node] = []

    init(limits: ReaderLimits) {
        self.limits = limits
    }

    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var anchor: String?
        var position: Position
        var entries: [Node.Entry] = []
        var items: [Node] = []
        var pendingKey: Node?
        /// Nodes below this one, with aliases counted at their expanded size.
        var weight = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: Node, weight: Int)] = [:]
    private var writtenNodes = 0
    private var expandedNodes = 0

    mutating func consume(_ event: yaml_event_t) throws(ReadError) {
        let position = Position(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            writtenNodes = 0
            expandedNodes = 0
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            guard stack.count < limits.maxDepth else {
                throw ReadError(message: "YAML nesting is deeper than \(limits.maxDepth) levels", position: position)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            stack.append(Frame(isMapping: isMapping, tag: Self.localTag(tag), anchor: anchor.map(Self.text), position: position))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            let frame = stack.removeLast()
            let content: Node.Content = frame.isMapping ? .mapping(Self.mergingKeys(frame.entries)) : .sequence(frame.items)
            writtenNodes += 1
            add(Node(content, tag: frame.tag, at: frame.position), weight: frame.weight, anchor: frame.anchor)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let rawTag = scalar.tag.map(Self.text)
            let isString = scalar.style != YAML_PLAIN_SCALAR_STYLE || rawTag == "tag:yaml.org,2002:str" || rawTag == "!"
            let node = Node(.scalar(text, isString ? .quoted : .plain), tag: Self.localTag(scalar.tag), at: position)
            writtenNodes += 1
            add(node, weight: 1, anchor: scalar.anchor.map(Self.text))
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw ReadError(message: "YAML alias *\(name) names no anchor", position: position)
            }
            expandedNodes = expandedNodes.addingSaturating(target.weight)
            let budget = writtenNodes.multipliedSaturating(by: limits.aliasExpansionFactor).addingSaturating(limits.aliasAllowance)
            guard expandedNodes <= budget else {
                throw ReadError(message: "YAML aliases expand to more than \(budget) nodes; refusing a possible alias bomb", position: position)
            }
            var node = target.node
            node.position = position
            add(node, weight: target.weight, anchor: nil)
        default:
            break
        }
    }

    private mutating func add(_ node: Node, weight: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, weight) }
        guard !stack.isEmpty else {
            documents.append(node)
            return
        }
        let top = stack.count - 1
        stack[top].weight = stack[top].weight.addingSaturating(weight)
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                stack[top].entries.append(Node.Entry(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        } else {
            stack[top].items.append(node)
        }
    }

    /// Applies YAML merge keys (`<<: *defaults`), which Kubernetes' YAML decoder honours too:
    /// entries written in the mapping win over merged ones.
    private static func mergingKeys(_ entries: [Node.Entry]) -> [Node.Entry] {
        guard entries.contains(where: isMergeKey) else { return entries }
        var result = entries.filter { !isMergeKey($0) }
        var present = Set(result.compactMap(\.key.scalar))
        for entry in entries where isMergeKey(entry) {
            let sources = entry.value.isSequence ? entry.value.items : [entry.value]
            for source in sources {
                for merged in source.entries where merged.key.scalar.map({ present.insert($0).inserted }) ?? true {
                    result.append(merged)
                }
            }
        }
        return result
    }

    private static func isMergeKey(_ entry: Node.Entry) -> Bool {
        if case .scalar("<<", .plain) = entry.key.content { return true }
        return false
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: pointer)
    }

    /// Keeps application tags such as `!Ref`; drops the standard `tag:yaml.org,2002:` ones.
    private static func localTag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        let tag = text(pointer)
        return tag.hasPrefix("tag:yaml.org,2002:") || tag == "!" ? nil : tag
    }
}

extension Int {
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    func multipliedSaturating(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
