import Foundation
import Testing
@testable import HAAuditHelm

/// go-template/*.json (Go 1.19 text/template tests as data) against the Swift template engine.
/// Every row runs; rows listed in a skip list must fail (a skipped row that passes fails the test).
@Suite("Go text/template conformance")
struct GoTemplateConformanceTests {
    /// Tags of rows this engine does not support, with the reason.
    static let unsupportedTags: [String: String] = [
        "complex": "complex numbers: Helm values never hold them, TemplateValue has no complex case",
    ]

    // Skip lists: row key (id, with #n for the n-th repeat of an id) -> reason.
    static let skippedLex: [String: String] = [:]
    static let skippedParse: [String: String] = [:]
    static let skippedExec: [String: String] = [
        "TestJSEscaping[4]": "Unicode version: U+FDFF is assigned (printable) since Unicode 14; Go 1.19's tables predate it, Swift's and Go 1.26's do not",
    ]
    static let skippedCompare: [String: String] = [:]
    static let skippedMulti: [String: String] = [:]
    static let skippedTestFuncs: [String: String] = [:]

    /// Row keys: the id, made unique by `#n` for repeats.
    static func keys(_ cases: [RawJSON]) -> [String] {
        var seen: [String: Int] = [:]
        return cases.map { row in
            let id = row["id"]?.string ?? "?"
            let count = seen[id, default: 0]
            seen[id] = count + 1
            return count == 0 ? id : "\(id)#\(count)"
        }
    }

    /// Runs `check` per row and compares the outcome with the skip list. Returns the summary.
    static func run(_ suite: String, skipped: [String: String], check: (RawJSON) -> String?) throws -> String {
        let cases = try TypedJSON.load("go-template/\(suite).json")["cases"]?.array ?? []
        var passed = 0, skippedCount = 0
        var failures: [String] = []
        for (key, row) in zip(keys(cases), cases) {
            if let tags = row["tags"]?.array?.compactMap(\.string), tags.contains(where: { unsupportedTags[$0] != nil }) {
                skippedCount += 1
                continue
            }
            let problem = check(row)
            if skipped[key] != nil {
                skippedCount += 1
                if problem == nil { failures.append("\(key): listed as skipped but passes") }
            } else if let problem {
                failures.append("\(key): \(problem)")
            } else {
                passed += 1
            }
        }
        let summary = "go-template/\(suite).json: \(passed)/\(cases.count) passed, \(skippedCount) skipped"
        print(summary)
        #expect(failures.isEmpty, "\(suite): \(failures.count) failures:\n\(failures.joined(separator: "\n"))")
        return summary
    }

    static func describe(_ value: String?) -> String { value.map { GoQuote.quote($0) } ?? "nil" }

    // MARK: Lexer

    @Test func lexer() throws {
        _ = try Self.run("lex", skipped: Self.skippedLex) { row in
            let input = row["input"]?.string ?? ""
            let delims = row["delims"]?.array?.compactMap(\.string) ?? []
            let lexed = TemplateLexer.lex(input, leftDelim: delims.first ?? "", rightDelim: delims.last ?? "")
            let withPositions = row["group"]?.string == "lex-pos"
            let actual: [String] = lexed.tokens.map { token in
                var parts = [token.kind.rawValue, lexed.value(of: token)]
                if withPositions { parts += [String(token.position), String(token.line)] }
                return parts.joined(separator: "|")
            }
            let expected: [String] = (row["items"]?.array ?? []).map { item in
                (item.array ?? []).map { part -> String in
                    if case .number(let number) = part { return String(Int(number)) }
                    return part.string ?? ""
                }.joined(separator: "|")
            }
            if actual == expected { return nil }
            return "got \(actual), want \(expected)"
        }
    }

    // MARK: Parser

    @Test func parser() throws {
        _ = try Self.run("parse", skipped: Self.skippedParse) { row in
            let group = row["group"]?.string ?? ""
            let input = row["input"]?.string ?? row["text"]?.string ?? ""
            if group == "number" { return Self.checkNumber(row) }
            let modes = row["mode"]?.array?.compactMap(\.string) ?? []
            var options = TemplateParser.Options()
            options.keepComments = modes.contains("ParseComments")
            options.skipFunctionCheck = modes.contains("SkipFuncCheck")
            let name = row["template_name"]?.string ?? row["name"]?.string ?? "test"
            let trees: [String: TemplateTree]
            do throws(TemplateError) {
                trees = try TemplateParser.parse(name: name, text: input, options: options) { $0 == "printf" || $0 == "contains" }
            } catch {
                if row["ok"]?.bool == false {
                    if let contains = row["error_contains"]?.string, !error.message.contains(contains) {
                        return "error \(Self.describe(error.message)) lacks \(Self.describe(contains))"
                    }
                    return nil
                }
                return "parse failed: \(error.message)"
            }
            if row["ok"]?.bool == false { return "parse succeeded: \(trees[name]?.description(quoteText: true) ?? "")" }
            if group == "is-empty" {
                let empty = trees[name]?.isEmpty ?? true
                return empty == row["empty"]?.bool ? nil : "IsEmptyTree \(empty)"
            }
            let quote = row["text_format"]?.string != "%s"
            let actual = trees[name]?.description(quoteText: quote) ?? ""
            if actual != row["expected"]?.string { return "got \(Self.describe(actual)), want \(Self.describe(row["expected"]?.string))" }
            if case .object(let defined)? = row["expected_defined"] {
                for (definedName, text) in defined where trees[definedName]?.description() != text.string {
                    return "defined \(definedName): got \(Self.describe(trees[definedName]?.description()))"
                }
            }
            return nil
        }
    }

    static func checkNumber(_ row: RawJSON) -> String? {
        let text = row["text"]?.string ?? ""
        let kind: TemplateToken.Kind = text.hasPrefix("'") ? .charConstant : NumberNode.parseComplex(text) != nil ? .complex : .number
        let node: NumberNode
        do throws(TemplateError) {
            node = try NumberNode.parse(position: 0, text: text, kind: kind)
        } catch {
            return row["ok"]?.bool == false ? nil : "failed: \(error.message)"
        }
        if row["ok"]?.bool == false { return "accepted" }
        func number(_ key: String) -> Double {
            if case .number(let value)? = row[key] { return value }
            return 0
        }
        var problems: [String] = []
        if node.isInt != row["isInt"]?.bool { problems.append("isInt \(node.isInt)") }
        if node.isUint != row["isUint"]?.bool { problems.append("isUint \(node.isUint)") }
        if node.isFloat != row["isFloat"]?.bool { problems.append("isFloat \(node.isFloat)") }
        if node.isComplex != row["isComplex"]?.bool { problems.append("isComplex \(node.isComplex)") }
        if node.isInt && Double(node.int64) != number("int64") { problems.append("int64 \(node.int64)") }
        if node.isUint && Double(node.uint64) != number("uint64") { problems.append("uint64 \(node.uint64)") }
        if node.isFloat && node.float64 != number("float64") { problems.append("float64 \(node.float64)") }
        if node.isComplex, let parts = row["complex128"]?.array, parts.count == 2,
           case .number(let real) = parts[0], case .number(let imaginary) = parts[1],
           node.complex.real != real || node.complex.imaginary != imaginary {
            problems.append("complex \(node.complex)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    // MARK: Execution

    static func options(_ row: RawJSON) -> TemplateSet.Options {
        var options = TemplateSet.Options()
        switch row["options"]?["missingkey"]?.string {
        case "zero": options.missingKey = .zero
        case "error": options.missingKey = .error
        default: break
        }
        if let delims = row["options"]?["delims"]?.array?.compactMap(\.string), delims.count == 2 {
            options.leftDelim = delims[0]
            options.rightDelim = delims[1]
        }
        return options
    }

    /// Executes one exec-style row: nil when it behaves as expected.
    static func checkExecution(_ row: RawJSON, functions: TemplateFunctions = [:]) -> String? {
        let name = row["template_name"]?.string ?? row["name"]?.string ?? "test"
        let set = TemplateSet(functions: functions, options: options(row))
        let output: String
        do throws(TemplateError) {
            try set.parse(name: name, text: row["template"]?.string ?? "")
            output = try set.executeParsed(name: name, data: TypedJSON.value(row["data"] ?? .null))
        } catch {
            guard row["ok"]?.bool == false else { return "failed: \(error.message)" }
            if let exact = row["error"]?.string, exact != error.message {
                return "error \(describe(error.message)), want \(describe(exact))"
            }
            if let contains = row["error_contains"]?.string, !error.message.contains(contains) {
                return "error \(describe(error.message)) lacks \(describe(contains))"
            }
            return nil
        }
        if row["ok"]?.bool == false { return "succeeded with \(describe(output))" }
        if let expected = row["expected"]?.string, output != expected {
            return "got \(describe(output)), want \(describe(expected))"
        }
        return nil
    }

    @Test func execution() throws {
        _ = try Self.run("exec", skipped: Self.skippedExec) { Self.checkExecution($0) }
    }

    @Test func comparison() throws {
        _ = try Self.run("compare", skipped: Self.skippedCompare) { Self.checkExecution($0) }
    }

    @Test func executionWithHarnessFunctions() throws {
        _ = try Self.run("exec-testfuncs", skipped: Self.skippedTestFuncs) { Self.checkExecution($0, functions: HarnessFunctions.all) }
    }

    // MARK: Template sets

    @Test func templateSets() throws {
        _ = try Self.run("multi", skipped: Self.skippedMulti) { row in
            var sets: [String: TemplateSet] = [:]
            func set(_ name: String) -> TemplateSet {
                if let existing = sets[name] { return existing }
                let created = TemplateSet(functions: HarnessFunctions.all)
                sets[name] = created
                return created
            }
            for (index, step) in (row["steps"]?.array ?? []).enumerated() {
                let setName = step["set"]?.string ?? "s"
                switch step["op"]?.string {
                case "new-set":
                    var options = TemplateSet.Options()
                    if let delims = step["delims"]?.array?.compactMap(\.string), delims.count == 2 {
                        options.leftDelim = delims[0]
                        options.rightDelim = delims[1]
                    }
                    let created = TemplateSet(functions: HarnessFunctions.all, options: options)
                    created.declare(name: step["root"]?.string ?? "root")
                    sets[setName] = created
                case "parse":
                    let target = set(setName)
                    let name = step["template"]?.string ?? ""
                    do throws(TemplateError) {
                        try target.parse(name: name, text: step["text"]?.string ?? "", newObject: step["new"]?.bool ?? true)
                        if step["ok"]?.bool == false { return "step \(index): parse succeeded" }
                    } catch {
                        if step["ok"]?.bool != false { return "step \(index): parse failed: \(error.message)" }
                        continue
                    }
                    if case .object(let expected)? = step["expected_templates"] {
                        let defined = Set(target.templateNames).subtracting(["root"])
                        if defined != Set(expected.keys) { return "step \(index): templates \(defined.sorted())" }
                        for (definedName, text) in expected where target.treeDescription(definedName) != text.string {
                            return "step \(index): \(definedName) is \(Self.describe(target.treeDescription(definedName)))"
                        }
                    }
                case "clone":
                    sets[setName] = set(step["from"]?.string ?? "").clone()
                case "execute":
                    let target = set(setName)
                    let name = step["template"]?.string ?? ""
                    do throws(TemplateError) {
                        let output = try target.executeParsed(name: name, data: TypedJSON.value(step["data"] ?? .null))
                        if step["ok"]?.bool == false { return "step \(index): succeeded with \(Self.describe(output))" }
                        if let expected = step["expected"]?.string, expected != output {
                            return "step \(index): got \(Self.describe(output)), want \(Self.describe(expected))"
                        }
                    } catch {
                        if step["ok"]?.bool != false { return "step \(index): failed: \(error.message)" }
                        if let exact = step["error"]?.string, exact != error.message {
                            return "step \(index): error \(Self.describe(error.message)), want \(Self.describe(exact))"
                        }
                    }
                default:
                    return "unknown op \(step["op"]?.string ?? "")"
                }
            }
            return nil
        }
    }
}

/// The Go test harness's helper functions (exec-testfuncs.json meta.test_funcs), with the
/// argument type checks Go's reflection would make.
enum HarnessFunctions {
    static func string(_ value: TemplateValue) throws(TemplateError) -> String {
        guard case .string(let text) = value else { throw TemplateError("wrong type for value; expected string; got \(value.typeName)") }
        return text
    }

    static func int(_ value: TemplateValue) throws(TemplateError) -> Int64 {
        guard case .int(let number, .int) = value else { throw TemplateError("wrong type for value; expected int; got \(value.typeName)") }
        return number
    }

    static let all: TemplateFunctions = [
        "add": TemplateFunction(arity: .atLeast(0)) { arguments throws(TemplateError) in
            var sum: Int64 = 0
            for argument in arguments { sum += try int(argument) }
            return .int(sum, .int)
        },
        "dddArg": TemplateFunction(arity: .atLeast(1)) { arguments throws(TemplateError) in
            _ = try int(arguments[0])
            var parts = [GoFormat.string(arguments[0])]
            for argument in arguments.dropFirst() { parts.append(try string(argument)) }
            return .string(parts.joined(separator: " ") + "\n")
        },
        "die": TemplateFunction(arity: .exactly(0)) { _ throws(TemplateError) in throw TemplateError("die") },
        "echo": TemplateFunction(arity: .exactly(1)) { $0[0] },
        "makemap": TemplateFunction(arity: .atLeast(0)) { arguments throws(TemplateError) in
            var map: [String: TemplateValue] = [:]
            var index = 0
            while index + 1 < arguments.count {
                map[try string(arguments[index])] = .string(try string(arguments[index + 1]))
                index += 2
            }
            return .map(map, type: .init(key: "string", element: "string"))
        },
        "mapOfThree": TemplateFunction(arity: .exactly(0)) { _ in .map(["three": .int(3, .int)], type: .init(key: "string", element: "int")) },
        "oneArg": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in .string("oneArg=" + (try string(arguments[0]))) },
        "returnInt": TemplateFunction(arity: .exactly(0)) { _ in .int(7, .int) },
        "twoArgs": TemplateFunction(arity: .exactly(2)) { arguments throws(TemplateError) in
            .string("twoArgs=" + (try string(arguments[0])) + (try string(arguments[1])))
        },
        "typeOf": TemplateFunction(arity: .exactly(1)) { .string($0[0].typeName) },
        "valueString": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
            _ = try string(arguments[0])
            return .string("value is ignored")
        },
        "zeroArgs": TemplateFunction(arity: .exactly(0)) { _ in .string("zeroArgs") },
    ]
}
