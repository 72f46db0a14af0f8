import HAAuditModel
import CLibYAML

/// Builds `Node` trees from YAML: most files through `YAMLFastPath`, the rest straight from
/// libyaml's event stream.
///
/// Going from events to our own small tree (instead of through a general-purpose YAML library's
/// node graph) keeps the hot path short, and lets the reader enforce the limits that make hostile
/// input safe: nesting depth, and how far aliases may expand (billion laughs, CVE-2019-11253).
package struct YAMLReader: DocumentReader {
    var limits: ReaderLimits

    package func read(_ bytes: [UInt8]) throws(ReadError) -> [Node] {
        if let nodes = bytes.withUnsafeBufferPointer({ YAMLFastPath.read($0, maxDepth: limits.maxDepth) }) {
            return nodes
        }
        return try readWithLibyaml(bytes)
    }

    /// Reads any YAML: the path for what `YAMLFastPath` declines, and its reference in tests.
    package func readWithLibyaml(_ bytes: [UInt8]) throws(ReadError) -> [Node] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ReadError(message: "libyaml could not allocate a parser", position: Position(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ReadError) -> [Node] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(limits: limits, expectedBytes: buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Self.syntaxError(parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.consume(event)
            }
            return builder.documents()
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

    package init(limits: ReaderLimits) {
        self.limits = limits
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
    private var tree: NodeTreeBuilder
    private var roots: [Int32] = []
    /// For each open container: its anchor, and the nodes below it so far, with aliases counted
    /// at their expanded size.
    private var open: [(anchor: String?, weight: Int)] = []
    private var anchors: [String: (index: Int32, weight: Int)] = [:]
    private var writtenNodes = 0
    private var expandedNodes = 0

    init(limits: ReaderLimits, expectedBytes: Int) {
        self.limits = limits
        tree = NodeTreeBuilder(expectedBytes: expectedBytes)
    }

    func documents() -> [Node] {
        let finished = tree.finish()
        return roots.map { Node(tree: finished, index: $0) }
    }

    mutating func consume(_ event: yaml_event_t) throws(ReadError) {
        let position = Position(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            writtenNodes = 0
            expandedNodes = 0
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            guard tree.depth < limits.maxDepth else {
                throw ReadError(message: "YAML nesting is deeper than \(limits.maxDepth) levels", position: position)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            tree.begin(mapping: isMapping, tag: Self.localTag(tag), at: position)
            open.append((anchor.map(Self.text), 1))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            if event.type == YAML_MAPPING_END_EVENT, let error = tree.repeatedKeyError() { throw error }
            let (anchor, weight) = open.removeLast()
            let hasMergeKey = event.type == YAML_MAPPING_END_EVENT
                && stride(from: tree.openChildren.startIndex, to: tree.openChildren.endIndex, by: 2).contains { tree.isMergeKey(tree.openChildren[$0]) }
            let index = hasMergeKey ? tree.end(rewrite: Self.mergingKeys) : tree.end()
            writtenNodes += 1
            added(index, weight: weight, anchor: anchor)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let rawTag = scalar.tag.map(Self.text)
            let isString = switch rawTag {
            case "tag:yaml.org,2002:str", "!": true
            // `!!int "1"` is the number 1, as Kubernetes and CloudFormation read it.
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null": false
            default: scalar.style != YAML_PLAIN_SCALAR_STYLE
            }
            let index = tree.scalar(UnsafeBufferPointer(start: scalar.value, count: scalar.length), quoted: isString,
                                    tag: Self.localTag(scalar.tag), at: position)
            writtenNodes += 1
            added(index, weight: 1, anchor: scalar.anchor.map(Self.text))
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
            added(tree.reference(target.index, at: position), weight: target.weight, anchor: nil)
        default:
            break
        }
    }

    /// Records a finished node: under its anchor, in its parent's weight, or as a document.
    private mutating func added(_ index: Int32, weight: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (index, weight) }
        if open.isEmpty {
            roots.append(index)
        } else {
            open[open.count - 1].weight = open[open.count - 1].weight.addingSaturating(weight)
        }
    }

    /// Applies YAML merge keys (`<<: *defaults`), which Kubernetes' YAML decoder honours too:
    /// entries written in the mapping win over merged ones.
    private static func mergingKeys(_ children: inout [Int32], _ tree: NodeTreeBuilder) {
        let pairs = stride(from: 0, to: children.count - 1, by: 2).map { (children[$0], children[$0 + 1]) }
        var result = pairs.filter { !tree.isMergeKey($0.0) }
        var present = Set(result.compactMap { tree.text(of: $0.0) })
        for (key, value) in pairs where tree.isMergeKey(key) {
            let sources = tree.kind(of: value) == .sequence ? Array(tree.childrenOf(value)) : [value]
            for source in sources where tree.kind(of: source) == .mapping {
                let merged = tree.childrenOf(source)
                for position in stride(from: merged.startIndex, to: merged.endIndex, by: 2) {
                    guard let key = tree.text(of: merged[position]), present.insert(key).inserted else { continue }
                    result.append((merged[position], merged[position + 1]))
                }
            }
        }
        children = result.flatMap { [$0.0, $0.1] }
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
