/// The parse tree of Go text/template (text/template/parse/node.go). Positions are byte offsets
/// into the text that was parsed; `description` is Go's `String()` of the node.

/// The text a tree was parsed from and the name of the parse, for error locations
/// (`template: NAME:LINE:COL`). Shared by the top-level tree and its `define`d trees.
final class TemplateSource: Sendable {
    let parseName: String
    let text: [UInt8]
    /// Offsets of the newlines, for line numbers by binary search.
    let newlines: [Int]

    init(parseName: String, text: [UInt8]) {
        self.parseName = parseName
        self.text = text
        newlines = Self.newlineOffsets(text)
    }

    /// Offsets of the newlines, sixteen bytes compared at a time: a chart's lines are tens of
    /// bytes long, so most blocks have none, and this runs once per parse over the whole text.
    private static func newlineOffsets(_ text: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(text.count / 32)
        text.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            let newline = SIMD16<UInt8>(repeating: 0x0A)
            var block = 0
            while block + 16 <= bytes.count {
                let chunk = UnsafeRawPointer(base + block).loadUnaligned(as: SIMD16<UInt8>.self)
                if any(chunk .== newline) {
                    for offset in block..<(block + 16) where bytes[offset] == 0x0A { offsets.append(offset) }
                }
                block += 16
            }
            for offset in block..<bytes.count where bytes[offset] == 0x0A { offsets.append(offset) }
        }
        return offsets
    }

    /// The 1-based line and 0-based byte column of a byte offset.
    func lineAndColumn(of position: Int) -> (line: Int, column: Int) {
        var low = 0, high = newlines.count
        while low < high {
            let middle = (low + high) / 2
            if newlines[middle] < position { low = middle + 1 } else { high = middle }
        }
        let lineStart = low == 0 ? 0 : newlines[low - 1] + 1
        return (low + 1, position - lineStart)
    }

    /// `NAME:LINE:COL` of a byte offset (column 0-based, in bytes, as Go prints it).
    func location(of position: Int) -> String {
        let (line, column) = lineAndColumn(of: min(position, text.count))
        return "\(parseName):\(line):\(column)"
    }
}

/// One named template: its body and where it was parsed from.
final class TemplateTree: Sendable {
    let name: String
    let root: [TemplateNode]
    let source: TemplateSource

    init(name: String, root: [TemplateNode], source: TemplateSource) {
        self.name = name
        self.root = root
        self.source = source
    }

    /// Go's `IsEmptyTree`: only spaces, comments (and `define`s, which are not in the tree).
    var isEmpty: Bool { root.allSatisfy(\.isEmpty) }

    func description(quoteText: Bool = false) -> String {
        TemplateNode.describe(root, quoteText: quoteText)
    }
}

struct VariableNode: Sendable {
    var position: Int
    /// `$x.Field.Sub` is `["$x", "Field", "Sub"]`.
    var identifiers: [String]
    var description: String { identifiers.joined(separator: ".") }
}

struct PipeNode: Sendable {
    var position: Int
    var line: Int
    /// `$x = ...` rather than `$x := ...`.
    var isAssign = false
    var declarations: [VariableNode] = []
    var commands: [CommandNode] = []

    func description(quoteText: Bool) -> String {
        var result = ""
        if !declarations.isEmpty {
            result = declarations.map(\.description).joined(separator: ", ") + " := "
        }
        return result + commands.map { $0.description(quoteText: quoteText) }.joined(separator: " | ")
    }
}

struct CommandNode: Sendable {
    var position: Int
    var arguments: [TemplateNode] = []

    func description(quoteText: Bool) -> String {
        arguments.map { argument in
            if case .pipe(let pipe) = argument { return "(" + pipe.description(quoteText: quoteText) + ")" }
            return argument.description(quoteText: quoteText)
        }.joined(separator: " ")
    }
}

/// `if`, `range` and `with`.
struct BranchNode: Sendable {
    var position: Int
    var line: Int
    var pipe: PipeNode
    var list: [TemplateNode]
    var elseList: [TemplateNode]?
}

/// A numeric or character constant, in every representation it fits (Go's `NumberNode`).
struct NumberNode: Sendable {
    var position: Int
    var text: String
    var isInt = false, isUint = false, isFloat = false, isComplex = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
    var complex: (real: Double, imaginary: Double) = (0, 0)
}

indirect enum TemplateNode: Sendable {
    case text(position: Int, String)
    case comment(position: Int, String)
    case action(position: Int, line: Int, PipeNode)
    case ifNode(BranchNode)
    case rangeNode(BranchNode)
    case withNode(BranchNode)
    case template(position: Int, line: Int, name: String, PipeNode?)
    case breakNode(position: Int)
    case continueNode(position: Int)
    // Operands.
    case identifier(position: Int, String)
    case dot(position: Int)
    case nilNode(position: Int)
    case field(position: Int, [String])
    case variable(VariableNode)
    /// `(pipeline).Field1.Field2` or `function.Field`.
    case chain(position: Int, TemplateNode, [String])
    case bool(position: Int, Bool)
    case number(NumberNode)
    /// The literal as written and its value.
    case string(position: Int, quoted: String, String)
    case pipe(PipeNode)
    // Parser-internal markers, never in a finished tree.
    case elseMarker(position: Int, line: Int)
    case endMarker(position: Int)

    var position: Int {
        switch self {
        case .text(let position, _), .comment(let position, _), .action(let position, _, _),
             .template(let position, _, _, _), .breakNode(let position), .continueNode(let position),
             .identifier(let position, _), .dot(let position), .nilNode(let position), .field(let position, _),
             .chain(let position, _, _), .bool(let position, _), .string(let position, _, _),
             .elseMarker(let position, _), .endMarker(let position):
            return position
        case .ifNode(let branch), .rangeNode(let branch), .withNode(let branch): return branch.position
        case .variable(let variable): return variable.position
        case .number(let number): return number.position
        case .pipe(let pipe): return pipe.position
        }
    }

    var isEmpty: Bool {
        switch self {
        case .comment: true
        case .text(_, let text): text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        default: false
        }
    }

    static func describe(_ list: [TemplateNode], quoteText: Bool) -> String {
        list.map { $0.description(quoteText: quoteText) }.joined()
    }

    var description: String { description(quoteText: false) }

    func description(quoteText: Bool) -> String {
        switch self {
        case .text(_, let text): return quoteText ? GoQuote.quote(text) : text
        case .comment(_, let text): return "{{" + text + "}}"
        case .action(_, _, let pipe): return "{{" + pipe.description(quoteText: quoteText) + "}}"
        case .ifNode(let branch): return Self.describe(branch, "if", quoteText)
        case .rangeNode(let branch): return Self.describe(branch, "range", quoteText)
        case .withNode(let branch): return Self.describe(branch, "with", quoteText)
        case .template(_, _, let name, let pipe):
            if let pipe { return "{{template \(GoQuote.quote(name)) \(pipe.description(quoteText: quoteText))}}" }
            return "{{template \(GoQuote.quote(name))}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        case .identifier(_, let name): return name
        case .dot: return "."
        case .nilNode: return "nil"
        case .field(_, let names): return names.map { "." + $0 }.joined()
        case .variable(let variable): return variable.description
        case .chain(_, let node, let fields):
            let head: String
            if case .pipe(let pipe) = node { head = "(" + pipe.description(quoteText: quoteText) + ")" }
            else { head = node.description(quoteText: quoteText) }
            return head + fields.map { "." + $0 }.joined()
        case .bool(_, let value): return value ? "true" : "false"
        case .number(let number): return number.text
        case .string(_, let quoted, _): return quoted
        case .pipe(let pipe): return pipe.description(quoteText: quoteText)
        case .elseMarker: return "{{else}}"
        case .endMarker: return "{{end}}"
        }
    }

    private static func describe(_ branch: BranchNode, _ name: String, _ quoteText: Bool) -> String {
        var result = "{{\(name) \(branch.pipe.description(quoteText: quoteText))}}" + describe(branch.list, quoteText: quoteText)
        if let elseList = branch.elseList { result += "{{else}}" + describe(elseList, quoteText: quoteText) }
        return result + "{{end}}"
    }
}
