import Foundation
import Testing
@testable import HAAuditHelm

/// helm/funcs.json: Helm's own functions, each row's template run by the executor.
@Suite("Helm functions conformance")
struct HelmFuncsConformanceTests {
    /// Rows not run yet, with why.
    static let skipped: [String: String] = [
        "funcs-017": "merge is Sprig's (helper S)",
        "funcs-018": "merge is Sprig's (helper S)",
        "funcs-074": "merge is Sprig's (helper S)",
    ]

    @Test func everyRow() throws {
        let suite = try TypedJSON.load("helm/funcs.json")
        let rows = suite["cases"]?.array ?? []
        var passed = 0
        var failures: [String] = []
        for row in rows {
            let id = row["id"]?.string ?? "?"
            let outcome = Self.run(row)
            let expectedOK = row["ok"]?.bool ?? true
            let ok: Bool
            switch outcome {
            case .success(let output): ok = expectedOK && output == row["expected"]?.string
            case .failure: ok = !expectedOK
            }
            if let reason = Self.skipped[id] {
                if ok { failures.append("\(id) passes but is skipped (\(reason))") }
                continue
            }
            if ok { passed += 1 } else { failures.append("\(id): \(row["template"]?.string ?? "") gave \(outcome)") }
        }
        print("helm/funcs.json: \(passed)/\(rows.count) rows passed, \(Self.skipped.count) skipped")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The row's template, parsed and run with Go's builtins and Helm's functions.
    static func run(_ row: RawJSON) -> Result<String, TemplateError> {
        let set = TemplateSet(functions: HelmFunctions.functions)
        let name = row["id"]?.string ?? "row"
        do {
            try set.parse(name: name, text: row["template"]?.string ?? "")
            return .success(try set.execute(name: name, data: TypedJSON.value(row["data"] ?? .null)))
        } catch {
            return .failure(error)
        }
    }
}
