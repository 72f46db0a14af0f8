import Foundation

/// A set of named templates sharing definitions, like a Go `*template.Template` and everything
/// associated with it: Helm parses every file of a chart into one set, so a `define` in
/// `_helpers.tpl` is visible to every file.
///
///     let set = TemplateSet(functions: sprig, options: .init(missingKey: .zero))
///     try set.parse(name: "chart/templates/a.yaml", text: source)
///     let output = try set.execute(name: "chart/templates/a.yaml", data: values)
public final class TemplateSet {
    /// Go's `missingkey` option: what a missing map key evaluates to.
    public enum MissingKey: Sendable {
        /// Nothing: prints `<no value>` (Go's default).
        case `default`
        /// The zero value of the map's element type (a nil interface for Helm's maps).
        case zero
        /// Execution fails: `map has no entry for key "x"`.
        case error
    }

    public struct Options: Sendable {
        public var missingKey: MissingKey
        /// Action delimiters; empty = `{{` and `}}`.
        public var leftDelim: String
        public var rightDelim: String
        public var limits: Limits
        public init(missingKey: MissingKey = .default, leftDelim: String = "", rightDelim: String = "", limits: Limits = Limits()) {
            self.missingKey = missingKey
            self.leftDelim = leftDelim
            self.rightDelim = rightDelim
            self.limits = limits
        }
    }

    /// Bounds on hostile templates, shared by one top-level execution and everything it calls
    /// (`template`, `include`, `tpl`).
    public struct Limits: Sendable {
        /// Nested template calls. Go allows 100000; each level costs native stack, and Helm stops
        /// `include` recursion at 1000 per name anyway.
        public var maxTemplateDepth = 10_000
        /// Bytes of output of one execution (Go has no limit; rendered manifests are far smaller).
        public var maxOutputBytes = 64 << 20
        /// Nodes walked plus range iterations in one execution: bounds `range 1000000000` and
        /// loops that print nothing.
        public var maxSteps = 50_000_000
        public init() {}
    }

    /// Stack of the thread a top-level parse or execution runs on: deep recursion meets the
    /// depth limits, not the end of a small default stack. Only the pages used are committed.
    /// Measured (debug build): 10000 nested `template` calls need under 32 MiB, 1000 nested
    /// `include`s under 16 MiB.
    static let stackBytes = 128 << 20

    /// The name of the set's root template (Helm: `gotpl`), which Go's `ExecuteTemplate` errors name.
    public let name: String
    public var functions: TemplateFunctions
    /// Methods of values, keyed `TYPE.Name` with TYPE the receiver's `typeName` (Helm's
    /// `map[string][]uint8.Get` for `.Files.Get`, `[]string.Has` for `.Capabilities.APIVersions.Has`).
    /// Each receives the receiver first, then the arguments; `arity` counts the arguments only.
    public var methods: TemplateFunctions = [:] {
        didSet { methodNames = Set(methods.keys.map { key in String(key[key.index(after: key.lastIndex(of: ".") ?? key.startIndex)...]) }) }
    }
    /// The `Name` parts of `methods`' keys: most fields are no method, and are told so without
    /// building the receiver's type name.
    private var methodNames: Set<String> = []
    /// Functions that change a map argument in place in Go, by argument index (Sprig's
    /// `set`, `unset`, `merge`...: `Sprig.mutatedArgument`): the executor stores the returned
    /// map back into the variable or field the argument was read from.
    public var mutatingFunctions: [String: Int] = [:]
    public var options: Options
    /// Where parses are remembered, shared with clones (nil: nothing is).
    public var parseCache: TemplateParseCache?
    /// The set's templates by name (Go's `common.tmpl`): what `template` and `execute` look up.
    private(set) var trees: [String: TemplateTree] = [:]
    /// The tree of the template object most recently created by `parse(name:...)` for each name
    /// (Go's `t.New(name).Parse(text)` returns an object that keeps its own tree even when the
    /// set keeps an earlier non-empty one).
    fileprivate(set) var objects: [String: TemplateTree?] = [:]

    public init(name: String = "", functions: TemplateFunctions = [:], options: Options = Options()) {
        self.name = name
        self.functions = functions
        self.options = options
    }

    /// An independent copy (Go's `Clone`): later definitions in either set do not affect the other.
    public func clone() -> TemplateSet {
        let copy = TemplateSet(name: name, functions: functions, options: options)
        copy.methods = methods
        copy.mutatingFunctions = mutatingFunctions
        copy.trees = trees
        copy.objects = objects
        copy.parseCache = parseCache
        return copy
    }

    /// The method `name` of `receiver`'s type, if any.
    func method(_ name: String, of receiver: TemplateValue) -> TemplateFunction? {
        guard methodNames.contains(name) else { return nil }
        return methods[receiver.typeName + "." + name]
    }

    public func hasTemplate(_ name: String) -> Bool { trees[name] != nil }

    public var templateNames: [String] { trees.keys.sorted() }

    /// Go's `String()` of a template's tree (text unquoted), nil when not defined.
    public func treeDescription(_ name: String, quoteText: Bool = false) -> String? {
        trees[name]?.description(quoteText: quoteText)
    }

    /// Parses `text` as the template `name` and adds it and its definitions to the set.
    /// `newObject: true` is Go's `set.New(name).Parse(text)`; false is `Parse` on the object
    /// already named `name`. A definition replaces an earlier one of the same name unless it is
    /// empty and the earlier one is not (Go's `associate`).
    public func parse(name: String, text: String, newObject: Bool = true) throws(TemplateError) {
        var parserOptions = TemplateParser.Options()
        parserOptions.leftDelim = options.leftDelim
        parserOptions.rightDelim = options.rightDelim
        let key = TemplateParseCache.Key(name: name, text: text, leftDelim: options.leftDelim, rightDelim: options.rightDelim)
        let parsed: [String: TemplateTree]
        if let cached = parseCache?.trees[key] {
            parsed = cached
        } else {
            let functions = self.functions
            parsed = try Self.onLargeStack { () throws(TemplateError) in
                try TemplateParser.parse(name: name, text: text, options: parserOptions) { functions[$0] != nil || Builtins.names.contains($0) }
            }
            parseCache?.trees[key] = parsed
        }
        if newObject || objects[name] == nil { objects[name] = .some(nil) }
        for (treeName, tree) in parsed {
            var replaced = true
            if let old = trees[treeName], tree.isEmpty, !old.isEmpty { replaced = false }
            if replaced { trees[treeName] = tree }
            if treeName == name, replaced || objectHasNoTree(name) { objects[name] = tree }
        }
    }

    private func objectHasNoTree(_ name: String) -> Bool {
        if case .some(.none) = objects[name] { return true }
        return false
    }

    /// Runs the set's template `name` (Go's `ExecuteTemplate`).
    public func execute(name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let tree = trees[name] else {
            throw TemplateError("template: no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(self.name))")
        }
        return try executeTopLevel(tree: tree, name: name, data: data)
    }

    /// Runs the object most recently parsed as `name` (Go's `Execute` on the value `New(name)`
    /// returned); falls back to the set's template of that name.
    public func executeParsed(name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let object = objects[name] else { return try execute(name: name, data: data) }
        guard let tree = object else {
            throw TemplateError("template: \(name): \(GoQuote.quote(name)) is an incomplete or empty template")
        }
        return try executeTopLevel(tree: tree, name: name, data: data)
    }

    /// Declares a template object that has no tree yet (Go's `template.New(name)` before any
    /// parse): executing it fails as Go does.
    public func declare(name: String) {
        if objects[name] == nil { objects[name] = .some(nil) }
    }

    /// Runs the set's template `name` and records where each piece of the output came from
    /// (text copied from a template file, or the action that printed it). Output of an `include`
    /// keeps the positions it had in the included template (`TemplateExecutor.rebasedSpans`).
    public func executeWithSpans(name: String, data: TemplateValue) throws(TemplateError) -> (output: String, spans: [TemplateOutputSpan]) {
        let result = try executeKeepingData(name: name, data: data)
        return (result.output, result.spans)
    }

    /// `executeWithSpans`, also returning `$` as the execution left it: in Go the data's maps
    /// are shared, so what a template changes with `set $ ...` the next template of the same
    /// data sees (Helm charts rely on it); the caller passes it on.
    public func executeKeepingData(name: String, data: TemplateValue) throws(TemplateError) -> (output: String, spans: [TemplateOutputSpan], data: TemplateValue) {
        guard let tree = trees[name] else {
            throw TemplateError("template: no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(self.name))")
        }
        let budget = ExecutionBudget()
        return try Self.onLargeStack { () throws(TemplateError) in
            let output = TemplateExecutor.Output()
            output.spans = []
            let (text, spans) = try TemplateExecutor.run(set: self, tree: tree, data: data, budget: budget, depth: 0, output: output)
            return (text, spans, output.finalRoot)
        }
    }

    private func executeTopLevel(tree: TemplateTree, name: String, data: TemplateValue) throws(TemplateError) -> String {
        let budget = ExecutionBudget()
        return try Self.onLargeStack { () throws(TemplateError) in
            try TemplateExecutor.run(set: self, tree: tree, data: data, budget: budget, depth: 0).0
        }
    }

    /// Runs `body` on a thread with a large stack and waits for it; on such a thread already,
    /// runs it in place: a whole chart render (every parse and execution, `tpl`'s nested parses)
    /// shares one thread instead of starting one per call. A parse run in place inside an
    /// execution adds at most the parser's nesting limit to the execution's depth, which the
    /// template depth limit bounds (see `stackBytes`). The caller blocks until the thread ends,
    /// so nothing it captures is used concurrently.
    static func onLargeStack<T, E: Error>(_ body: @escaping () throws(E) -> T) throws(E) -> T {
        if pthread_getspecific(largeStackMarker) != nil { return try body() }
        let result = UncheckedBox<Result<T, E>?>(nil)
        let work = UncheckedBox(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            pthread_setspecific(largeStackMarker, UnsafeRawPointer(bitPattern: 1))
            result.value = Result { () throws(E) -> T in try work.value() }
            done.signal()
        }
        thread.stackSize = stackBytes
        thread.start()
        done.wait()
        return try result.value!.get()
    }

    /// Set (non-nil) on the threads `onLargeStack` starts.
    private static let largeStackMarker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}

/// Trees parsed before, by what a parse depends on, for sets with the same function names:
/// `tpl` parses its text on every call (a helper that `tpl`s a value, called for every resource
/// or inside a `range`), and each release of a chart parses the same files. Trees are immutable,
/// so sets share them. Not for concurrent use.
public final class TemplateParseCache {
    struct Key: Hashable {
        var name: String
        var text: String
        var leftDelim: String
        var rightDelim: String

        /// Hashes the text's length and ends only: a miss then costs no pass over a whole file
        /// (equal keys still compare the whole text).
        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(leftDelim)
            hasher.combine(rightDelim)
            var text = text
            text.withUTF8 { bytes in
                hasher.combine(bytes.count)
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(128))))
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(128))))
            }
        }
    }

    var trees: [Key: [String: TemplateTree]] = [:]

    public init() {}
}

/// A value handed to another thread that the handing thread waits for.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// What one top-level execution has spent (see `TemplateSet.Limits`).
final class ExecutionBudget {
    var outputBytes = 0
    var steps = 0
    /// Counters functions keep for the execution (Helm's `include` counts nesting per name).
    var counters: [String: Int] = [:]
    /// While spans are recorded: the outputs of nested executions (`include`, `tpl`) of the
    /// actions being evaluated, which the action printing them re-bases. Nil otherwise.
    var nestedOutputs: [NestedOutput]?
}

/// What a contextual function (Helm's `include`, `tpl`) sees of the running execution.
public struct TemplateContext {
    /// The set being executed.
    public let set: TemplateSet
    /// The name of the template being executed (Go's `s.tmpl.Name()`).
    public let templateName: String
    /// Nested template calls so far.
    public let depth: Int
    let budget: ExecutionBudget

    /// Executes the template `name` of `set` (default: the running set) as a nested call: it
    /// counts against the depth and output limits of the running execution.
    public func execute(name: String, data: TemplateValue, in set: TemplateSet? = nil) throws(TemplateError) -> String {
        let target = set ?? self.set
        guard let tree = target.trees[name] else {
            throw TemplateError("template: no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(target.name))")
        }
        let limit = target.options.limits.maxTemplateDepth
        if depth + 1 >= limit {
            throw TemplateError("template: \(name): exceeded maximum template depth (\(limit))")
        }
        return try TemplateExecutor.runNested(set: target, tree: tree, data: data, budget: budget, depth: depth + 1, textFile: nil)
    }

    /// Executes the object most recently parsed as `name` in `set` (Go's `Execute` on the value
    /// `New(name).Parse(text)` returned; Helm's `tpl`), as a nested call.
    public func executeParsed(name: String, data: TemplateValue, in set: TemplateSet) throws(TemplateError) -> String {
        guard let object = set.objects[name] else { return try execute(name: name, data: data, in: set) }
        guard let tree = object else {
            throw TemplateError("template: \(name): \(GoQuote.quote(name)) is an incomplete or empty template")
        }
        let limit = set.options.limits.maxTemplateDepth
        if depth + 1 >= limit {
            throw TemplateError("template: \(name): exceeded maximum template depth (\(limit))")
        }
        return try TemplateExecutor.runNested(set: set, tree: tree, data: data, budget: budget, depth: depth + 1, textFile: name)
    }

    /// A counter kept for the whole top-level execution, e.g. Helm's per-name `include` nesting
    /// (`rendering template has a nested reference name: x`).
    public func counter(_ key: String) -> Int { budget.counters[key, default: 0] }

    public func adjustCounter(_ key: String, by delta: Int) { budget.counters[key, default: 0] += delta }
}
