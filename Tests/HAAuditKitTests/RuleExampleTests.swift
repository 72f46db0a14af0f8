import Testing
@testable import HAAuditKit

/// Every rule's documented examples are its tests: a triggering example must produce the rule's
/// finding (on the documented line), a passing one must not.
@Suite("Rule examples")
struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var example: RuleExample
        var testDescription: String { "\(rule): \(example.expectation == .triggers ? "triggers" : "passes"): \(example.title)" }
    }

    static let cases: [Case] = RuleCatalog.all.flatMap { rule in
        rule.description.examples.map { Case(rule: rule.description.name, example: $0) }
    }

    @Test(arguments: cases)
    func example(_ testCase: Case) throws {
        let audit = Audit(policy: try Policy.load("default"))
        let result = audit.run(sources: testCase.example.files)
        #expect(result.diagnostics.isEmpty, "the example does not parse: \(result.diagnostics)")
        let findings = result.findings.filter { $0.ruleName == testCase.rule }
        switch testCase.example.expectation {
        case .triggers:
            #expect(!findings.isEmpty, "no \(testCase.rule) finding")
            if let line = testCase.example.line {
                #expect(findings.contains { $0.location.line == line && $0.location.path == testCase.example.file },
                        "expected \(testCase.example.file):\(line), got \(findings.map(\.location.description))")
            }
        case .passes:
            #expect(findings.isEmpty, "unexpected: \(findings.map(\.message))")
        }
    }

    @Test func everyRuleHasATriggeringAndAPassingExamplePerPlatform() {
        for rule in RuleCatalog.all {
            let description = rule.description
            for platform in description.platforms {
                let examples = description.examples.filter { $0.platform == platform }
                #expect(examples.contains { $0.expectation == .triggers }, "\(description.name) has no triggering \(platform) example")
                #expect(examples.contains { $0.expectation == .passes }, "\(description.name) has no passing \(platform) example")
            }
        }
    }

    @Test func namesAndCodesAreUniqueAndWellFormed() {
        let names = RuleCatalog.all.map(\.description.name)
        let codes = RuleCatalog.all.map(\.description.code)
        #expect(Set(names).count == names.count)
        #expect(Set(codes).count == codes.count)
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(name) is not kebab-case")
        }
        for code in codes {
            #expect(code.hasPrefix("HA") && code.count == 5 && Int(code.dropFirst(2)) != nil, "\(code) is not HAnnn")
        }
    }
}
