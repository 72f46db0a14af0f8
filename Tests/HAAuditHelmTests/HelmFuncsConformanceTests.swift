import Foundation
import Testing
@testable import HAAuditHelm

/// helm/funcs.json: Helm's own functions. Until the template executor lands, each row's
/// template (one call, `{{ fn arg... }}`, arguments `.`, `.field` or literals) is run by calling
/// the function directly and printing the result as Go's `%v` does.
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

    static func run(_ row: RawJSON) -> Result<String, TemplateError> {
        let data = TypedJSON.value(row["data"] ?? .null)
        let template = row["template"]?.string ?? ""
        guard template.hasPrefix("{{"), template.hasSuffix("}}") else { return .failure(TemplateError("not one call")) }
        var words = split(String(template.dropFirst(2).dropLast(2)))
        guard !words.isEmpty, let function = HelmFunctions.functions[words.removeFirst()] else {
            return .failure(TemplateError("unknown function"))
        }
        var arguments: [TemplateValue] = []
        for word in words {
            guard let argument = argument(word, data) else { return .failure(TemplateError("cannot read \(word)")) }
            arguments.append(argument)
        }
        do {
            return .success(HelmGoFormat.verbV(try function.call(arguments)))
        } catch {
            return .failure(error)
        }
    }

    /// Words split at spaces outside double quotes.
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func argument(_ word: String, _ data: TemplateValue) -> TemplateValue? {
        if word == "." { return data }
        if word.hasPrefix(".") {
            guard case .map(let entries, _) = data else { return nil }
            return entries[String(word.dropFirst())] ?? .null
        }
        if word.hasPrefix("\"") { return .string(String(word.dropFirst().dropLast())) }
        if let integer = Int64(word) { return .int(integer, .int) }
        if let float = Double(word) { return .float(float) }
        return nil
    }
}
