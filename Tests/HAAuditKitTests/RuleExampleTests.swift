import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// Every rule's documented examples are its tests: a triggering example must produce the rule's
/// finding at the documented line, column and severity; a passing one must be evaluated by the
/// rule (the score counts a component) and produce none; a not-applicable one, neither.
@Suite("Rule examples")
struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: any Rule
        var example: RuleExample
        var testDescription: String { "\(rule.description.name): \(example.expectation): \(example.title)" }
    }

    static let cases: [Case] = RuleCatalog.all.flatMap { rule in
        rule.description.examples.map { Case(rule: rule, example: $0) }
    }

    @Test(arguments: cases)
    func example(_ testCase: Case) throws {
        let description = testCase.rule.description
        let result = Audit(policy: Self.only(testCase.rule)).run(sources: testCase.example.files)
        #expect(result.diagnostics.isEmpty, "the example does not parse: \(result.diagnostics)")
        let findings = result.findings
        switch testCase.example.expectation {
        case .triggers:
            let expected = try #require(testCase.example.finding)
            let severity = expected.severity ?? description.severity
            #expect(findings.contains {
                $0.location.path == testCase.example.file && $0.location.line == expected.line
                    && $0.location.column == expected.column && $0.severity == severity
            }, "expected \(testCase.example.file):\(expected.line):\(expected.column) at \(severity), got \(findings.map { "\($0.location) at \($0.severity)" })")
        case .passes:
            #expect(findings.isEmpty, "unexpected: \(findings.map(\.message))")
            // Passing means the rule looked and found nothing: an example it does not apply to
            // (a typo in `kind:`) would pass vacuously.
            #expect(!result.score.components.isEmpty, "the rule evaluated nothing in the example: it passes vacuously")
        case .notApplicable:
            #expect(findings.isEmpty, "unexpected: \(findings.map(\.message))")
            #expect(result.score.components.isEmpty, "the rule evaluated \(result.score.components.map(\.id))")
        }
    }

    /// Only `rule`, at its catalog severity and default parameters: the score's components are
    /// then the ones it evaluated.
    static func only(_ rule: any Rule) -> Policy {
        let description = rule.description
        let setting = Policy.RuleSetting(severity: description.severity, parameters: [:])
        return Policy(name: description.name, rules: [description.name: setting], weights: Policy.defaultWeights)
    }

    @Test func aTypoInKindIsNotApplicableRatherThanPassing() {
        let typo = RuleExample.passes(.kubernetes, "A typo in kind", """
            apiVersion: apps/v1
            kind: Deploymnet
            metadata: {name: web}
            spec: {replicas: 1}
            """)
        let result = Audit(policy: Self.only(SingleReplica())).run(sources: typo.files)
        #expect(result.findings.isEmpty)
        #expect(result.score.components.isEmpty)
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
