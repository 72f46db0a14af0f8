/// Where a piece of rendered output was written from: the template file (the parse name, as in
/// error locations) and the line of the text or action that wrote it.
public struct TemplateOutputSpan: Sendable, Equatable {
    /// UTF-8 offset in the output where the piece starts; it runs to the next span's offset.
    public var offset: Int
    /// The name the text was parsed under (Helm: the file), and the template executing it
    /// (differs inside a `define`).
    public var file: String
    public var template: String
    /// 1-based line and 0-based byte column of the node in its file.
    public var line: Int
    public var column: Int
    /// Template text copied to the output: line N of the piece is `line + N` of the file.
    /// Otherwise the piece is an action's value.
    public var isText: Bool
    /// For an action that prints a `.Values` field chain (`.Values.image.tag`, possibly through
    /// functions that keep the value recognisable: `quote`, `default`, `toYaml`, ...): the keys
    /// after `.Values`, so a caller can find the values line the output came from. Relative to
    /// the executing chart's `.Values`.
    public var valuesPath: [String]? = nil
}

/// The output of a nested execution (`include`, `tpl`) while spans are recorded: the action
/// that prints it gives the printed text these spans (`TemplateExecutor.rebasedSpans`).
struct NestedOutput {
    var text: String
    var spans: [TemplateOutputSpan]
    /// The parse name of text that is no template file (`tpl`'s text, often from values): its
    /// pieces are attributed to the action that prints them.
    var textFile: String?
}

/// Go text/template's executor (text/template/exec.go) over `TemplateValue`s.
///
/// Go distinguishes an invalid `reflect.Value` (a missing key, nil data) from a nil interface
/// stored in a map: `.a.b` fails with "nil pointer evaluating interface {}.b" when `a` is present
/// and nil, and yields nothing when `a` is missing. Both are `.null` here; field chains carry the
/// difference while they walk (`FieldResult`).
final class TemplateExecutor {
    /// Where an error is reported: Go's `state.at(node)`.
    private enum Site {
        case node(TemplateNode)
        case command(CommandNode)
        case pipe(PipeNode)

        var position: Int {
            switch self {
            case .node(let node): node.position
            case .command(let command): command.position
            case .pipe(let pipe): pipe.position
            }
        }

        var description: String {
            switch self {
            case .node(let node): node.description(quoteText: false)
            case .command(let command): command.description(quoteText: false)
            case .pipe(let pipe): pipe.description(quoteText: false)
            }
        }
    }

    /// How a walked node ends: normally or by `{{break}}` / `{{continue}}`.
    private enum Flow { case normal, breakLoop, continueLoop }

    /// A field lookup's result; `nilInterface` is a present key holding nil.
    private struct FieldResult {
        var value: TemplateValue
        var nilInterface = false
    }

    final class Output {
        var text = ""
        /// Where each written piece came from, when recorded.
        var spans: [TemplateOutputSpan]?
        var byteCount = 0
        /// `$` when the top-level template ended (changed by write-backs).
        var finalRoot: TemplateValue = .null
    }

    private let set: TemplateSet
    private let tree: TemplateTree
    private let budget: ExecutionBudget
    private let depth: Int
    private let output: Output
    private var variables: [(name: String, value: TemplateValue)]
    private var site: Site?
    /// Whether dot is `$` (outside `with` and `range` bodies): a write-back through `.field`
    /// then changes `$`, and dot is read from `$` so the change is seen.
    private var dotIsRoot = true

    private init(set: TemplateSet, tree: TemplateTree, budget: ExecutionBudget, depth: Int, output: Output, dot: TemplateValue) {
        self.set = set
        self.tree = tree
        self.budget = budget
        self.depth = depth
        self.output = output
        variables = [("$", dot)]
    }

    static func run(set: TemplateSet, tree: TemplateTree, data: TemplateValue, budget: ExecutionBudget, depth: Int, recordSpans: Bool = false,
                    output: Output = Output()) throws(TemplateError) -> (String, [TemplateOutputSpan]) {
        if recordSpans { output.spans = [] }
        if output.spans != nil, budget.nestedOutputs == nil { budget.nestedOutputs = [] }
        let executor = TemplateExecutor(set: set, tree: tree, budget: budget, depth: depth, output: output, dot: data)
        _ = try executor.walk(list: tree.root, dot: data)
        output.finalRoot = executor.variables[0].value
        return (output.text, output.spans ?? [])
    }

    /// A nested execution (`include`, `tpl`): its output, kept with its spans for the action that
    /// prints it when the top-level execution records spans.
    static func runNested(set: TemplateSet, tree: TemplateTree, data: TemplateValue, budget: ExecutionBudget, depth: Int,
                          textFile: String?) throws(TemplateError) -> String {
        let recording = budget.nestedOutputs != nil
        let (text, spans) = try run(set: set, tree: tree, data: data, budget: budget, depth: depth, recordSpans: recording)
        if recording { budget.nestedOutputs!.append(NestedOutput(text: text, spans: spans, textFile: textFile)) }
        return text
    }

    // MARK: Errors

    private func at(_ node: TemplateNode) { site = .node(node) }

    private func fail(_ message: String) -> TemplateError {
        guard let site else { return TemplateError("template: \(tree.name): \(message)") }
        return TemplateError("template: \(tree.source.location(of: site.position)): executing \(GoQuote.quote(tree.name)) at <\(site.description)>: \(message)")
    }

    // MARK: Walking

    private func step() throws(TemplateError) {
        budget.steps += 1
        if budget.steps > set.options.limits.maxSteps {
            throw fail("execution exceeded \(set.options.limits.maxSteps) steps")
        }
    }

    private func write(_ text: String, from node: TemplateNode, valuesPath: [String]? = nil,
                       nested: ArraySlice<NestedOutput> = [], handed: HandedValue? = nil) throws(TemplateError) {
        let count = text.utf8.count
        guard count > 0 else { return }
        if output.spans != nil {
            let position = node.position
            let (line, column) = tree.source.lineAndColumn(of: position)
            var isText = false
            if case .text = node { isText = true }
            let span = TemplateOutputSpan(offset: output.byteCount, file: tree.source.parseName, template: tree.name, line: line, column: column, isText: isText, valuesPath: valuesPath)
            if nested.isEmpty {
                output.spans!.append(span)
            } else {
                for var piece in Self.rebasedSpans(printed: text, outer: span, nested: nested, handed: handed) {
                    piece.offset += output.byteCount
                    output.spans!.append(piece)
                }
            }
        }
        output.byteCount += count
        budget.outputBytes += count
        if budget.outputBytes > set.options.limits.maxOutputBytes {
            throw fail("output exceeds \(set.options.limits.maxOutputBytes) bytes")
        }
        output.text += text
    }

    private func walk(list: [TemplateNode], dot: TemplateValue) throws(TemplateError) -> Flow {
        for node in list {
            let flow = try walk(node, dot: dot)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func walk(_ node: TemplateNode, dot: TemplateValue) throws(TemplateError) -> Flow {
        let dot = dotIsRoot ? variables[0].value : dot
        try step()
        at(node)
        // Nested outputs of this node's pipelines are the node's: printed now or never.
        let nestedMark = budget.nestedOutputs?.count
        defer { if let nestedMark { budget.nestedOutputs!.removeSubrange(nestedMark...) } }
        switch node {
        case .action(_, _, let pipe):
            // A declaration prints nothing.
            let value = try evalPipeline(dot: dot, pipe)
            if pipe.declarations.isEmpty {
                let nested = nestedMark.map { budget.nestedOutputs![$0...] } ?? []
                try printValue(node, value, valuesPath: output.spans == nil ? nil : Self.valuesPath(of: pipe),
                               nested: nested, handed: nested.isEmpty ? nil : handedValue(pipe, dot: dot))
            }
        case .breakNode: return .breakLoop
        case .continueNode: return .continueLoop
        case .comment: break
        case .ifNode(let branch): return try walkIfOrWith(isWith: false, dot: dot, branch)
        case .withNode(let branch): return try walkIfOrWith(isWith: true, dot: dot, branch)
        case .rangeNode(let branch): return try walkRange(dot: dot, branch)
        case .template(_, _, let name, let pipe): try walkTemplate(dot: dot, node: node, name: name, pipe: pipe)
        case .text(_, let text): try write(text, from: node)
        default: throw fail("unknown node: \(node.description)")
        }
        return .normal
    }

    private func printValue(_ node: TemplateNode, _ value: TemplateValue, valuesPath: [String]?, nested: ArraySlice<NestedOutput>,
                            handed: HandedValue?) throws(TemplateError) {
        at(node)
        if case .null = value {
            try write("<no value>", from: node, valuesPath: valuesPath)
        } else {
            try write(GoFormat.string(value), from: node, valuesPath: valuesPath, nested: nested, handed: handed)
        }
    }

    /// A `.Values` field an action hands an included template through `dict`, with its YAML:
    /// a piece of the included output that prints exactly that YAML came from those values
    /// (bitnami's `include "common.tplvalues.render" (dict "value" .Values.affinity "context" $)`
    /// prints `.value | toYaml` from a variable, where the path is lost). Its text is a value
    /// merely passed through: it is attributed to the handing action. The YAML is rendered on
    /// first use: most included outputs have no piece it could be.
    final class HandedValue {
        let path: [String]
        private var render: (() -> ArraySlice<UInt8>?)?
        private var rendered: ArraySlice<UInt8>?

        init(path: [String], render: @escaping () -> ArraySlice<UInt8>?) {
            self.path = path
            self.render = render
        }

        var yaml: ArraySlice<UInt8>? {
            if let render {
                rendered = render()
                self.render = nil
            }
            return rendered
        }
    }

    private func handedValue(_ pipe: PipeNode, dot: TemplateValue) -> HandedValue? {
        guard let (node, path) = Self.handedValuesChain(of: pipe), let toYaml = set.functions["toYaml"] else { return nil }
        return HandedValue(path: path) { [self] in
            // Rendered while the action writes: its error site stays the action's.
            let actionSite = site
            defer { site = actionSite }
            guard let value = try? evalArgument(dot: dot, node, kind: .any),
                  case .string(let yaml)? = try? toYaml.call([value]) else { return nil }
            return LineTable.trimmed(Array(yaml.utf8)[...])
        }
    }

    /// The one `.Values` chain among the `dict` arguments of a pipeline's commands; nil when
    /// there are none or several (`dict "imageRoot" .Values.image "global" .Values.global`).
    static func handedValuesChain(of pipe: PipeNode) -> (node: TemplateNode, path: [String])? {
        var chains: [(node: TemplateNode, path: [String])] = []
        for command in pipe.commands {
            for argument in command.arguments {
                guard case .pipe(let inner) = argument, inner.commands.count == 1, let dict = inner.commands.first,
                      case .identifier(_, "dict") = dict.arguments[0] else { continue }
                for entry in dict.arguments.dropFirst() {
                    if let path = valuesPath(of: entry) { chains.append((entry, path)) }
                }
            }
        }
        return chains.count == 1 ? chains[0] : nil
    }

    /// The spans of `printed`, text an action printed after nested executions of the same action
    /// (`include "x" . | nindent 4`, `tpl`): a line that is a line of a nested output, leading and
    /// trailing blanks aside (`nindent`, `indent`, `trim`), keeps the spans it had there; the rest
    /// is the action's (`outer`). A nested output whose lines are not consecutive lines of
    /// `printed` (`upper`, `b64enc`, used as data) is the action's too. An action's piece that
    /// prints the `handed` value is the action's, with that value's path. Offsets are in `printed`.
    static func rebasedSpans(printed: String, outer: TemplateOutputSpan, nested: ArraySlice<NestedOutput>,
                             handed: HandedValue? = nil) -> [TemplateOutputSpan] {
        let printedBytes = Array(printed.utf8)
        let printedLines = LineTable(printedBytes)
        var spans = [TemplateOutputSpan]()
        func append(_ span: TemplateOutputSpan) {
            // A piece that continues the same action needs no new span; an empty piece is replaced.
            if let last = spans.last, !span.isText, !last.isText, last.sameSource(as: span) { return }
            if spans.last?.offset == span.offset { spans.removeLast() }
            spans.append(span)
        }
        var outerPiece = outer
        outerPiece.offset = 0
        append(outerPiece)
        var firstFreeLine = 0
        for output in nested where !output.spans.isEmpty {
            let bytes = Array(output.text.utf8)
            let lines = LineTable(bytes)
            guard let pairs = lines.alignment(in: printedLines, from: firstFreeLine) else { continue }
            var innerSpans = output.spans
            if let handed {
                for index in innerSpans.indices where !innerSpans[index].isText && innerSpans[index].valuesPath == nil {
                    let end = index + 1 < innerSpans.count ? innerSpans[index + 1].offset : bytes.count
                    // The define only echoes the value: the line that handed it over is the one to edit.
                    if let yaml = handed.yaml, LineTable.trimmed(bytes[innerSpans[index].offset..<end]) == yaml {
                        var handing = outer.replacingValuesPath(with: handed.path)
                        handing.offset = innerSpans[index].offset
                        innerSpans[index] = handing
                    }
                }
            }
            var inForce = 0
            for (line, printedLine) in pairs {
                let start = lines.starts[line], end = lines.end(of: line, includingNewline: true)
                let printedStart = printedLines.starts[printedLine], printedEnd = printedLines.end(of: printedLine, includingNewline: true)
                let shift = printedLines.indentation(of: printedLine) - lines.indentation(of: line)
                // The span in force at the line's start, then those starting inside it.
                while inForce + 1 < innerSpans.count, innerSpans[inForce + 1].offset <= start { inForce += 1 }
                var index = inForce
                while index < innerSpans.count, innerSpans[index].offset < end {
                    let inner = innerSpans[index]
                    index += 1
                    let from = max(inner.offset, start)
                    let shifted = printedStart + from - start + shift
                    guard shifted < printedEnd else { continue }
                    // Indentation `trim` removed: the piece starts where the printed line does.
                    let printedOffset = max(printedStart, shifted)
                    let innerOffset = from + printedOffset - shifted
                    var piece = output.textFile == inner.file ? outer.replacingValuesPath(with: inner.valuesPath) : inner.moved(to: innerOffset, in: lines)
                    piece.offset = printedOffset
                    append(piece)
                }
            }
            // What follows the nested output is the action's again.
            let resume = printedLines.end(of: pairs.last!.printedLine, includingNewline: true)
            if resume < printedBytes.count {
                outerPiece.offset = resume
                append(outerPiece)
            }
            firstFreeLine = pairs.last!.printedLine + 1
        }
        return spans
    }

    /// Functions whose output still shows the value they were given (quoted, defaulted,
    /// re-typed, indented): an action printing `.Values.x` through them is attributed to `x`.
    /// Encoders such as `b64enc` are not: the output no longer shows the value.
    static let valuesTransparentFunctions: Set<String> = [
        "quote", "squote", "default", "toString", "int", "int64", "float64", "toYaml", "nindent", "indent",
        "trim", "lower", "upper",
    ]

    /// The `.Values` (or `$.Values`) field chain a pipeline prints, read directly or through
    /// transparent functions (piped, or as a function's last argument); nil otherwise.
    static func valuesPath(of pipe: PipeNode) -> [String]? {
        guard pipe.declarations.isEmpty, let first = pipe.commands.first else { return nil }
        for command in pipe.commands.dropFirst() {
            guard case .identifier(_, let name) = command.arguments[0], valuesTransparentFunctions.contains(name) else { return nil }
        }
        let head = first.arguments[0]
        if first.arguments.count == 1 { return valuesPath(of: head) }
        guard case .identifier(_, let name) = head, valuesTransparentFunctions.contains(name), let last = first.arguments.last else { return nil }
        return valuesPath(of: last)
    }

    private static func valuesPath(of node: TemplateNode) -> [String]? {
        switch node {
        case .field(_, let names) where names.count > 1 && names[0] == "Values":
            return Array(names.dropFirst())
        case .variable(let variable) where variable.identifiers.count > 2 && variable.identifiers[0] == "$" && variable.identifiers[1] == "Values":
            return Array(variable.identifiers.dropFirst(2))
        case .pipe(let pipe):
            return valuesPath(of: pipe)
        default:
            return nil
        }
    }

    private func mark() -> Int { variables.count }
    private func pop(to mark: Int) { variables.removeLast(variables.count - mark) }

    private func walkIfOrWith(isWith: Bool, dot: TemplateValue, _ branch: BranchNode) throws(TemplateError) -> Flow {
        let saved = mark()
        defer { pop(to: saved) }
        let value = try evalPipeline(dot: dot, branch.pipe)
        if value.isTruthy {
            guard isWith else { return try walk(list: branch.list, dot: dot) }
            let savedRoot = dotIsRoot
            dotIsRoot = false
            defer { dotIsRoot = savedRoot }
            return try walk(list: branch.list, dot: value)
        } else if let elseList = branch.elseList {
            return try walk(list: elseList, dot: dot)
        }
        return .normal
    }

    private func setVariable(_ name: String, _ value: TemplateValue) throws(TemplateError) {
        for index in variables.indices.reversed() where variables[index].name == name {
            variables[index].value = value
            return
        }
        throw fail("undefined variable: \(name)")
    }

    private func walkRange(dot: TemplateValue, _ branch: BranchNode) throws(TemplateError) -> Flow {
        at(.rangeNode(branch))
        let saved = mark()
        defer { pop(to: saved) }
        let value = try evalPipeline(dot: dot, branch.pipe)
        let pipe = branch.pipe
        let bodyMark = mark()
        // One pass of the body; false when `{{break}}` ends the loop.
        func iteration(_ index: TemplateValue, _ element: TemplateValue) throws(TemplateError) -> Bool {
            try step()
            if !pipe.declarations.isEmpty {
                if pipe.isAssign {
                    // With two variables the index comes first; with one, the element.
                    try setVariable(pipe.declarations[0].identifiers[0], pipe.declarations.count > 1 ? index : element)
                } else {
                    variables[variables.count - 1].value = element
                }
            }
            if pipe.declarations.count > 1 {
                if pipe.isAssign {
                    try setVariable(pipe.declarations[1].identifiers[0], element)
                } else {
                    variables[variables.count - 2].value = index
                }
            }
            let savedRoot = dotIsRoot
            dotIsRoot = false
            defer {
                pop(to: bodyMark)
                dotIsRoot = savedRoot
            }
            return try walk(list: branch.list, dot: element) != .breakLoop
        }
        var ranOnce = false
        switch value {
        case .list(let items, _):
            for (offset, item) in items.enumerated() {
                ranOnce = true
                if try !iteration(.int(Int64(offset), .int), item) { break }
            }
        case .bytes(let bytes):
            for (offset, byte) in bytes.enumerated() {
                ranOnce = true
                if try !iteration(.int(Int64(offset), .int), .uint(UInt64(byte), .uint8)) { break }
            }
        case .map(let entries, let type):
            for key in TemplateValue.orderedKeys(entries, type) {
                ranOnce = true
                if try !iteration(Self.mapKey(key, type), entries[key]!) { break }
            }
        case .int(let count, let type):
            if pipe.declarations.count > 1 { throw fail("can't use \(GoFormat.string(value)) to iterate over more than one variable") }
            var index: Int64 = 0
            while index < count {
                ranOnce = true
                if try !iteration(.int(index, type), .int(index, type)) { break }
                index += 1
            }
        case .uint(let count, let type):
            if pipe.declarations.count > 1 { throw fail("can't use \(GoFormat.string(value)) to iterate over more than one variable") }
            var index: UInt64 = 0
            while index < count {
                ranOnce = true
                if try !iteration(.uint(index, type), .uint(index, type)) { break }
                index += 1
            }
        case .null:
            break
        default:
            throw fail("range can't iterate over \(GoFormat.string(value))")
        }
        if !ranOnce, let elseList = branch.elseList {
            return try walk(list: elseList, dot: dot)
        }
        return .normal
    }

    /// A map key as Go has it: a string, or a number for `map[int]T`.
    static func mapKey(_ key: String, _ type: TemplateValue.MapType) -> TemplateValue {
        if let intType = TemplateValue.IntType(rawValue: type.key), let value = Int64(key) { return .int(value, intType) }
        if let uintType = TemplateValue.UIntType(rawValue: type.key), let value = UInt64(key) { return .uint(value, uintType) }
        return .string(key)
    }

    private func walkTemplate(dot: TemplateValue, node: TemplateNode, name: String, pipe: PipeNode?) throws(TemplateError) {
        at(node)
        guard let callee = set.trees[name] else { throw fail("template \(GoQuote.quote(name)) not defined") }
        if depth + 1 >= set.options.limits.maxTemplateDepth {
            throw fail("exceeded maximum template depth (\(set.options.limits.maxTemplateDepth))")
        }
        // Variables the pipeline declares persist in the caller.
        let newDot = try pipe.map { pipe throws(TemplateError) in try evalPipeline(dot: dot, pipe) } ?? .null
        let executor = TemplateExecutor(set: set, tree: callee, budget: budget, depth: depth + 1, output: output, dot: newDot)
        _ = try executor.walk(list: callee.root, dot: newDot)
    }

    // MARK: Pipelines

    private func evalPipeline(dot: TemplateValue, _ pipe: PipeNode) throws(TemplateError) -> TemplateValue {
        site = .pipe(pipe)
        var value: TemplateValue?
        for command in pipe.commands {
            value = try evalCommand(dot: dot, command, final: value)
        }
        let result = value ?? .null
        for variable in pipe.declarations {
            if pipe.isAssign {
                try setVariable(variable.identifiers[0], result)
            } else {
                variables.append((variable.identifiers[0], result))
            }
        }
        return result
    }

    /// `extraArguments`: the command's arguments after `head` (none for an argument).
    private func notAFunction(_ head: TemplateNode, _ extraArguments: ArraySlice<TemplateNode>, final: TemplateValue?) throws(TemplateError) {
        if !extraArguments.isEmpty || final != nil {
            throw fail("can't give argument to non-function \(head.description)")
        }
    }

    private func evalCommand(dot: TemplateValue, _ command: CommandNode, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(_, let names):
            at(first)
            return try evalFieldChain(dot: dot, receiver: FieldResult(value: dot), names[...], extraArguments: command.arguments.dropFirst(), final: final).value
        case .chain(_, let node, let names):
            return try evalChain(dot: dot, first, node, names, extraArguments: command.arguments.dropFirst(), final: final)
        case .identifier(_, let name):
            return try evalFunction(dot: dot, first, name, command: command, extraArguments: command.arguments.dropFirst(), final: final)
        case .pipe(let pipe):
            try notAFunction(first, command.arguments.dropFirst(), final: final)
            return try evalPipeline(dot: dot, pipe)
        case .variable(let variable):
            return try evalVariable(dot: dot, first, variable, extraArguments: command.arguments.dropFirst(), final: final)
        default:
            break
        }
        at(first)
        try notAFunction(first, command.arguments.dropFirst(), final: final)
        switch first {
        case .bool(_, let value): return .bool(value)
        case .dot: return dot
        case .nilNode: throw fail("nil is not a command")
        case .number(let number): return try idealConstant(number)
        case .string(_, _, let text): return .string(text)
        default: throw fail("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    /// A constant in a position with no type to guide it: float when written like one, else int.
    private func idealConstant(_ number: NumberNode) throws(TemplateError) -> TemplateValue {
        let text = number.text
        let isHexInt = text.count > 2 && text.hasPrefix("0") && (text.dropFirst().first == "x" || text.dropFirst().first == "X") && !text.contains(where: { $0 == "p" || $0 == "P" })
        let isRune = text.hasPrefix("'")
        if number.isComplex { throw fail("complex constants are not supported: \(text)") }
        if number.isFloat && !isHexInt && !isRune && text.contains(where: { ".eEpP".contains($0) }) {
            return .float(number.float64)
        }
        if number.isInt { return .int(number.int64, .int) }
        if number.isUint { throw fail("\(text) overflows int") }
        return .null
    }

    private func evalVariable(dot: TemplateValue, _ node: TemplateNode, _ variable: VariableNode, extraArguments: ArraySlice<TemplateNode>, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        at(node)
        let value = try variableValue(variable.identifiers[0])
        if variable.identifiers.count == 1 {
            try notAFunction(node, extraArguments, final: final)
            return value
        }
        return try evalFieldChain(dot: dot, receiver: FieldResult(value: value), variable.identifiers.dropFirst(), extraArguments: extraArguments, final: final).value
    }

    private func variableValue(_ name: String) throws(TemplateError) -> TemplateValue {
        for entry in variables.reversed() where entry.name == name { return entry.value }
        throw fail("undefined variable: \(name)")
    }

    private func evalChain(dot: TemplateValue, _ node: TemplateNode, _ head: TemplateNode, _ names: [String], extraArguments: ArraySlice<TemplateNode>, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        at(node)
        if case .nilNode = head { throw fail("indirection through explicit nil in \(node.description)") }
        let receiver = try evalArgument(dot: dot, head, kind: .untyped)
        at(node)
        return try evalFieldChain(dot: dot, receiver: FieldResult(value: receiver), names[...], extraArguments: extraArguments, final: final).value
    }

    private func evalFieldChain(dot: TemplateValue, receiver: FieldResult, _ names: ArraySlice<String>, extraArguments: ArraySlice<TemplateNode>,
                                final: TemplateValue?) throws(TemplateError) -> FieldResult {
        var current = receiver
        for index in names.indices {
            let name = names[index]
            let isLast = index == names.endIndex - 1
            if !current.nilInterface, let method = set.method(name, of: current.value) {
                // Go looks methods up before map keys; one inside a chain is called without arguments.
                current = FieldResult(value: try callMethod(dot: dot, name, method, receiver: current.value,
                                                            arguments: isLast ? extraArguments : [], final: isLast ? final : nil))
                continue
            }
            current = try evalField(name, receiver: current, hasArguments: isLast && (!extraArguments.isEmpty || final != nil))
        }
        return current
    }

    /// A method of a value (`TemplateSet.methods`): the receiver is passed first.
    private func callMethod(dot: TemplateValue, _ name: String, _ method: TemplateFunction, receiver: TemplateValue, arguments: ArraySlice<TemplateNode>, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let callSite = site
        let count = arguments.count + (final == nil ? 0 : 1)
        if let arity = method.arity { try checkArity(name, arity, count: count, literalCount: arguments.count) }
        var values = [receiver]
        values.reserveCapacity(count + 1)
        for argument in arguments { values.append(try evalArgument(dot: dot, argument, kind: .any)) }
        if let final { values.append(final) }
        site = callSite
        do {
            return try method.call(values)
        } catch {
            throw fail("error calling \(name): \(error.message)")
        }
    }

    private func evalField(_ name: String, receiver: FieldResult, hasArguments: Bool) throws(TemplateError) -> FieldResult {
        if receiver.nilInterface { throw fail("nil pointer evaluating interface {}.\(name)") }
        switch receiver.value {
        case .null:
            if set.options.missingKey == .error { throw fail("nil data; no entry for key \(GoQuote.quote(name))") }
            return FieldResult(value: .null)
        case .map(let entries, let type):
            guard type.key == "string" else { break }
            if hasArguments { throw fail("\(name) is not a method but has arguments") }
            if let value = entries[name] {
                let isInterface = type.element == TemplateValue.MapType.interfaces.element
                return FieldResult(value: value, nilInterface: isInterface && value == .null)
            }
            switch set.options.missingKey {
            case .default: return FieldResult(value: .null)
            case .zero:
                let zero = Builtins.zeroValue(type.element)
                return FieldResult(value: zero, nilInterface: zero == .null)
            case .error: throw fail("map has no entry for key \(GoQuote.quote(name))")
            }
        default:
            break
        }
        throw fail("can't evaluate field \(name) in type \(receiver.value.typeName)")
    }

    // MARK: Calls

    /// How a parameter takes its argument (the Go parameter type's kind, as far as it matters).
    enum ParameterKind: Sendable {
        /// `reflect.Value`: anything but the `nil` literal.
        case value
        /// `interface{}`: anything, `nil` included.
        case any
        /// `string`: a string only.
        case string
        /// No type (a chain's head).
        case untyped
    }

    private func evalFunction(dot: TemplateValue, _ node: TemplateNode, _ name: String, command: CommandNode?, extraArguments arguments: ArraySlice<TemplateNode>, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        at(node)
        let callSite: Site = command.map { .command($0) } ?? .node(node)
        if let function = set.functions[name] {
            return try callFunction(dot: dot, name, function, arguments: arguments, final: final, site: callSite)
        }
        guard let builtin = Builtins.table[name] else { throw fail("\(GoQuote.quote(name)) is not a defined function") }
        return try callBuiltin(dot: dot, name, builtin, arguments: arguments, final: final, site: callSite)
    }

    private func checkArity(_ name: String, _ arity: TemplateFunction.Arity, count: Int, literalCount: Int) throws(TemplateError) {
        switch arity {
        case .exactly(let wanted) where count != wanted:
            throw fail("wrong number of args for \(name): want \(wanted) got \(count)")
        case .atLeast(let wanted) where count < wanted:
            throw fail("wrong number of args for \(name): want at least \(wanted) got \(literalCount)")
        default: break
        }
    }

    private func callFunction(dot: TemplateValue, _ name: String, _ function: TemplateFunction, arguments: ArraySlice<TemplateNode>, final: TemplateValue?, site callSite: Site) throws(TemplateError) -> TemplateValue {
        let count = arguments.count + (final == nil ? 0 : 1)
        if let arity = function.arity { try checkArity(name, arity, count: count, literalCount: arguments.count) }
        var values: [TemplateValue] = []
        values.reserveCapacity(count)
        for argument in arguments { values.append(try evalArgument(dot: dot, argument, kind: .any)) }
        if let final { values.append(final) }
        site = callSite
        let result: TemplateValue
        do {
            if let contextual = function.contextualCall {
                let context = TemplateContext(set: set, templateName: tree.name, depth: depth, budget: budget)
                result = try contextual(context, values)
            } else {
                result = try function.call(values)
            }
        } catch {
            site = callSite
            throw fail("error calling \(name): \(error.message)")
        }
        if let index = set.mutatingFunctions[name], index < arguments.count {
            try writeBack(result, to: arguments[arguments.startIndex + index])
        }
        return result
    }

    /// Go maps are references: `set $d "k" 1` changes the map `$d` names. Values here are
    /// copies, so the changed map a mutating function returns is stored back where its
    /// argument was read: a variable (`$d`, `$.Values`) or, when dot is `$`, a field (`.Values`).
    /// Other aliases of the same map (another variable holding it) do not see the change.
    private func writeBack(_ value: TemplateValue, to node: TemplateNode) throws(TemplateError) {
        let name: String
        let path: [String]
        switch node {
        case .variable(let variable):
            name = variable.identifiers[0]
            path = Array(variable.identifiers.dropFirst())
        case .field(_, let names) where dotIsRoot:
            name = "$"
            path = names
        case .dot where dotIsRoot:
            name = "$"
            path = []
        default:
            return
        }
        try setVariable(name, Self.replacing(try variableValue(name), at: path[...], with: value))
    }

    private static func replacing(_ base: TemplateValue, at path: ArraySlice<String>, with value: TemplateValue) -> TemplateValue {
        guard let key = path.first else { return value }
        guard case .map(var entries, let type) = base, let child = entries[key] else { return base }
        entries[key] = replacing(child, at: path.dropFirst(), with: value)
        return .map(entries, type: type)
    }

    private func callBuiltin(dot: TemplateValue, _ name: String, _ builtin: Builtins.Builtin, arguments: ArraySlice<TemplateNode>, final: TemplateValue?, site callSite: Site) throws(TemplateError) -> TemplateValue {
        let count = arguments.count + (final == nil ? 0 : 1)
        try checkArity(name, builtin.arity, count: count, literalCount: arguments.count)
        if name == "and" || name == "or" {
            // Short-circuit: stop at the first false (and) or true (or) argument.
            var value = TemplateValue.null
            for argument in arguments {
                value = try evalArgument(dot: dot, argument, kind: .value)
                if value.isTruthy == (name == "or") { return value }
            }
            if let final { value = final }
            return value
        }
        var values: [TemplateValue] = []
        values.reserveCapacity(count)
        for (index, argument) in arguments.enumerated() {
            values.append(try evalArgument(dot: dot, argument, kind: builtin.parameter(index)))
        }
        if let final {
            let kind = builtin.parameter(arguments.count)
            if kind == .string, case .string = final {} else if kind == .string {
                throw fail("wrong type for value; expected string; got \(final.typeName)")
            }
            values.append(final)
        }
        site = callSite
        do {
            return try builtin.call(values)
        } catch {
            site = callSite
            throw fail("error calling \(name): \(error.message)")
        }
    }

    /// Go's `evalArg`: an argument evaluated for a parameter of the given kind.
    private func evalArgument(dot: TemplateValue, _ node: TemplateNode, kind: ParameterKind) throws(TemplateError) -> TemplateValue {
        at(node)
        let value: TemplateValue
        switch node {
        case .dot: value = dot
        case .nilNode:
            switch kind {
            case .any: return .null
            // A builtin's reflect.Value parameter takes the nil literal as a nil value: Helm
            // charts write `ne .Values.replicaCount nil` (istio's gateway) and Go renders them.
            case .value: return .null
            case .string: throw fail("cannot assign nil to string")
            case .untyped: throw fail("cannot assign nil to <nil>")
            }
        case .field(_, let names):
            value = try evalFieldChain(dot: dot, receiver: FieldResult(value: dot), names[...], extraArguments: [], final: nil).value
        case .variable(let variable):
            value = try evalVariable(dot: dot, node, variable, extraArguments: [], final: nil)
        case .pipe(let pipe):
            value = try evalPipeline(dot: dot, pipe)
        case .identifier(_, let name):
            value = try evalFunction(dot: dot, node, name, command: nil, extraArguments: [], final: nil)
        case .chain(_, let head, let names):
            value = try evalChain(dot: dot, node, head, names, extraArguments: [], final: nil)
        case .bool(_, let bool):
            if kind == .string { throw fail("expected string; found \(node.description)") }
            return .bool(bool)
        case .number(let number):
            if kind == .string { throw fail("expected string; found \(node.description)") }
            return try idealConstant(number)
        case .string(_, _, let text):
            return .string(text)
        default:
            throw fail("can't handle \(node.description) for arg of type \(kind)")
        }
        if kind == .string {
            guard case .string = value else {
                if case .null = value { throw fail("invalid value; expected string") }
                throw fail("wrong type for value; expected string; got \(value.typeName)")
            }
        }
        return value
    }
}

extension TemplateOutputSpan {
    /// Whether both pieces were written by the same node, offsets aside.
    func sameSource(as other: TemplateOutputSpan) -> Bool {
        file == other.file && template == other.template && line == other.line && column == other.column
            && isText == other.isText && valuesPath == other.valuesPath
    }

    func replacingValuesPath(with path: [String]?) -> TemplateOutputSpan {
        var copy = self
        copy.valuesPath = path
        return copy
    }

    /// The span's piece from `offset` of `text` (the output holding the span) on: copied template
    /// text starts at the file line and column of that byte; an action's piece is unchanged.
    func moved(to offset: Int, in text: LineTable) -> TemplateOutputSpan {
        guard isText, offset > self.offset else { return self }
        var copy = self
        let startLine = text.line(at: self.offset), line = text.line(at: offset)
        copy.line += line - startLine
        copy.column = line == startLine ? column + (offset - self.offset) : offset - text.starts[line]
        return copy
    }
}

/// The lines of a text, compared by their content (without leading and trailing blanks): how a
/// nested output is found again in the text an action printed.
struct LineTable {
    let bytes: [UInt8]
    /// The offset of each line's first byte.
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        self.starts = starts
    }

    /// The line holding the byte at `offset`.
    func line(at offset: Int) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }

    func end(of line: Int, includingNewline: Bool) -> Int {
        line + 1 < starts.count ? starts[line + 1] - (includingNewline ? 0 : 1) : bytes.count
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    func indentation(of line: Int) -> Int {
        content(of: line).startIndex - starts[line]
    }

    func content(of line: Int) -> ArraySlice<UInt8> {
        var start = starts[line], end = self.end(of: line, includingNewline: false)
        while start < end, Self.isBlank(bytes[start]) { start += 1 }
        while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Text without leading and trailing blanks and newlines.
    static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var text = text
        while let first = text.first, isBlank(first) || first == UInt8(ascii: "\n") { text.removeFirst() }
        while let last = text.last, isBlank(last) || last == UInt8(ascii: "\n") { text.removeLast() }
        return text
    }

    /// For each line of this text between its first and last non-blank line, the line of
    /// `printed` (at or after `firstLine`) holding the same content, when they run consecutively
    /// there; blank lines need no partner. Nil when the text is not found, or not after a few
    /// comparisons per line (repetitive text that almost matches everywhere).
    func alignment(in printed: LineTable, from firstLine: Int) -> [(line: Int, printedLine: Int)]? {
        let contentLines = starts.indices.filter { !content(of: $0).isEmpty }
        guard let first = contentLines.first, let last = contentLines.last else { return nil }
        var comparisons = 0
        let maxComparisons = 4 * (starts.count + printed.starts.count)
        candidates: for candidate in firstLine..<max(firstLine, printed.starts.count) where printed.content(of: candidate) == content(of: first) {
            var pairs: [(line: Int, printedLine: Int)] = []
            var printedLine = candidate
            for line in first...last {
                comparisons += 1
                if comparisons > maxComparisons { return nil }
                let text = content(of: line)
                if text.isEmpty {
                    if printedLine < printed.starts.count, printed.content(of: printedLine).isEmpty { printedLine += 1 }
                    continue
                }
                guard printedLine < printed.starts.count, printed.content(of: printedLine) == text else { continue candidates }
                pairs.append((line, printedLine))
                printedLine += 1
            }
            return pairs
        }
        return nil
    }
}
