import Foundation

/// The function map of Helm's engine (`initFunMap`): Sprig without `env`/`expandenv`, Helm's
/// own functions over it, then those that need the running set or the engine's mode.
enum HelmEngineFunctions {
    /// Helm's per-name `include` nesting limit (`recursionMaxNums`).
    static let maxIncludeNesting = 1000
    /// Nested `tpl` calls. Helm has no limit (a value that `tpl`s itself overflows Go's stack);
    /// each level clones the template set, so the depth is kept well below the template limit.
    static let maxTplNesting = 100
    /// Bytes of text one `tpl` call parses (values are user input).
    static let maxTplTextBytes = 1 << 20

    /// The table for a render. Built once per process and mode (it has some two hundred
    /// closures); only `derivePassword`, whose call limit is per table, is made anew.
    static func table(options: HelmRenderer.Options) -> TemplateFunctions {
        var table = options.lintMode ? lintTable : renderTable
        table.merge(Sprig.passwordFunctions) { _, fresh in fresh }
        return table
    }

    private static let renderTable = makeTable(lintMode: false)
    private static let lintTable = makeTable(lintMode: true)

    private static func makeTable(lintMode: Bool) -> TemplateFunctions {
        var table = Sprig.functions
        table["env"] = nil
        table["expandenv"] = nil
        table.merge(HelmFunctions.functions) { _, helm in helm }
        // DNS lookups are off (Helm's default without --enable-dns).
        table["getHostByName"] = TemplateFunction(arity: .exactly(1)) { _ in .string("") }
        table["include"] = TemplateFunction(arity: .exactly(2), contextual: include)
        table["tpl"] = TemplateFunction(arity: .exactly(2), contextual: tpl)
        table["required"] = TemplateFunction(arity: .exactly(2)) { arguments throws(TemplateError) in
            let warning = try string(arguments[0])
            switch arguments[1] {
            case .null, .string(""):
                if lintMode { return .string("") }
                throw TemplateError(HelmErrorFormat.warnWrap(warning))
            default:
                return arguments[1]
            }
        }
        table["fail"] = TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
            let message = try string(arguments[0])
            if lintMode { return .string("") }
            throw TemplateError(HelmErrorFormat.warnWrap(message))
        }
        return table
    }

    /// A `string` parameter of a Go function: other types are refused as reflection refuses them.
    static func string(_ value: TemplateValue) throws(TemplateError) -> String {
        guard case .string(let text) = value else {
            throw TemplateError("wrong type for value; expected string; got \(value.typeName)")
        }
        return text
    }

    /// `include NAME DATA`: the named template's output as a string, in the set being executed
    /// (inside `tpl`, its clone, so definitions made by the `tpl` text are found).
    @Sendable static func include(_ context: TemplateContext, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        let name = try string(arguments[0])
        let key = "include " + name
        if context.counter(key) > maxIncludeNesting {
            throw TemplateError("rendering template has a nested reference name: \(name): unable to execute template")
        }
        context.adjustCounter(key, by: 1)
        defer { context.adjustCounter(key, by: -1) }
        return .string(try context.execute(name: name, data: arguments[1]))
    }

    /// `tpl TEXT DATA`: TEXT parsed as a template in a clone of the running set (its definitions
    /// stay inside this call) under Helm's set name `gotpl`, executed with DATA.
    @Sendable static func tpl(_ context: TemplateContext, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        let text = try string(arguments[0])
        guard text.utf8.count <= maxTplTextBytes else { throw TemplateError("tpl text exceeds \(maxTplTextBytes) bytes") }
        guard context.counter("tpl") < maxTplNesting else { throw TemplateError("tpl calls nest deeper than \(maxTplNesting)") }
        context.adjustCounter("tpl", by: 1)
        defer { context.adjustCounter("tpl", by: -1) }
        let clone = context.set.clone()
        do {
            try clone.parse(name: context.set.name, text: text)
        } catch {
            throw TemplateError("cannot parse template \(GoQuote.quote(text)): \(error.message)")
        }
        let output: String
        do {
            output = try context.executeParsed(name: context.set.name, data: arguments[1], in: clone)
        } catch {
            throw TemplateError("error during tpl function execution for \(GoQuote.quote(text)): \(error.message)")
        }
        return .string(output.replacingOccurrences(of: "<no value>", with: ""))
    }
}
