import Foundation
import Testing
@testable import HAAuditHelm

/// sprig/functions.json (Sprig's own tests as data) through the template engine with Go's
/// builtins and Helm's Sprig. Every row runs; a row in the skip list must fail (a skipped row
/// that passes fails the test), any other row must pass.
@Suite("Sprig conformance")
struct SprigConformanceTests {
    /// Row id -> why this renderer does not pass it.
    static let skipped: [String: String] = {
        var rows: [String: String] = [:]
        // Go maps are references: these functions change the map the caller holds. The functions
        // return the changed map (Sprig.mutatedArgument); the executor does not store it back.
        let mutation = "set/unset/merge change the map in place; the executor does not store the result back into the variable or field yet"
        for id in ["sprig-058", "sprig-077", "sprig-374"] { rows[id] = mutation }
        rows["sprig-124"] = "map aliasing: after mergeOverwrite $target $one, $target.foo is $one.foo's map, so a later merge into $target changes $one (needs reference maps, more than a write-back)"
        for id in ["sprig-298", "sprig-299", "sprig-300"] {
            rows[id] = "calls the Compare method of a *semver.Version: values here have no methods"
        }
        return rows
    }()

    /// Runs one row; nil when it passes, else what went wrong.
    static func check(_ row: RawJSON, functions: TemplateFunctions) -> String? {
        let id = row["id"]?.string ?? "?"
        let data: TemplateValue = switch row["data"] {
        case nil: .map([:], type: .init(key: "string", element: "string"))
        case .null?: .null
        case let json?: TypedJSON.value(json)
        }
        let set = TemplateSet(functions: functions)
        let output: String
        do {
            try set.parse(name: id, text: row["template"]?.string ?? "")
            output = try set.execute(name: id, data: data)
        } catch {
            guard row["ok"]?.bool == false else { return "failed: \(error.message)" }
            if let part = row["error_contains"]?.string, !error.message.contains(part) {
                return "error \(GoQuote.quote(error.message)) lacks \(GoQuote.quote(part))"
            }
            return nil
        }
        if row["ok"]?.bool == false { return "succeeded with \(GoQuote.quote(output)), must fail" }
        if row["match"]?.string == "regex" {
            let pattern = row["pattern"]?.string ?? ""
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return "bad pattern \(pattern)" }
            let range = regex.rangeOfFirstMatch(in: output, range: NSRange(output.startIndex..., in: output))
            return range.location == NSNotFound ? "\(GoQuote.quote(output)) does not match \(pattern)" : nil
        }
        let expected = row["expected"]?.string ?? ""
        return output == expected ? nil : "got \(GoQuote.quote(output)), want \(GoQuote.quote(expected))"
    }

    @Test func sprigFunctions() throws {
        let cases = try TypedJSON.load("sprig/functions.json")["cases"]?.array ?? []
        // The rows run with TZ=UTC ("Etc/UTC": Foundation calls a zone made as "UTC" "GMT").
        let functions = Sprig.functions(localZone: TimeZone(identifier: "Etc/UTC")!)
        var passed = 0, notInHelm = 0, skippedCount = 0
        var failures: [String] = []
        for row in cases {
            let id = row["id"]?.string ?? "?"
            if row["not_in_helm"]?.bool == true {
                notInHelm += 1
                continue
            }
            let problem = Self.check(row, functions: functions)
            if Self.skipped[id] != nil {
                skippedCount += 1
                if problem == nil { failures.append("\(id): listed as skipped but passes") }
            } else if let problem {
                failures.append("\(id) (\(row["function"]?.string ?? "")): \(problem)")
            } else {
                passed += 1
            }
        }
        print("sprig/functions.json: \(passed)/\(cases.count) passed, \(skippedCount) skipped, \(notInHelm) not in Helm (env, expandenv)")
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.joined(separator: "\n"))")
    }
}
