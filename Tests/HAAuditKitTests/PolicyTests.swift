import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("Policies")
struct PolicyTests {
    @Test func embeddedPoliciesMatchThePoliciesFolder() throws {
        for name in Policy.builtinNames {
            let file = try String(contentsOfFile: "\(packageRoot)/policies/\(name).yaml", encoding: .utf8)
            #expect(BuiltinPolicies.sources[name] == String(file.dropLast(file.hasSuffix("\n") ? 1 : 0)),
                    "policies/\(name).yaml changed: run scripts/embed-policies")
        }
    }

    @Test func theDefaultPolicyEnablesEveryRuleAtItsCatalogSeverity() throws {
        let policy = try Policy.load("default")
        for rule in RuleCatalog.all {
            #expect(policy.rules[rule.description.name]?.severity == rule.description.severity, "\(rule.description.name)")
        }
    }

    @Test func readsSeveritiesParametersAndDisabledRules() throws {
        let text = """
            rules:
              single-replica: {severity: critical, parameters: {minReplicas: 3}}
              no-zone-spread: {enabled: false}
            """
        let policy = try Policy.parse(Array(text.utf8), path: "p.yaml")
        #expect(policy.rules["single-replica"]?.severity == .critical)
        #expect(policy.rules["single-replica"]?.parameters["minReplicas"] == 3)
        #expect(policy.rules["no-zone-spread"] == nil)
    }

    @Test(arguments: [
        ("rules:\n  no-such-rule: {}\n", 2, "unknown rule"),
        ("rules:\n  single-replica: {severity: severe}\n", 2, "severity is one of"),
        ("rules:\n  single-replica:\n    parameters: {replicas: 2}\n", 3, "has no parameter"),
        ("colour: blue\n", 1, "unknown policy key"),
    ])
    func reportsMistakesWithTheirLine(text: String, line: Int, message: String) {
        #expect {
            _ = try Policy.parse(Array(text.utf8), path: "p.yaml")
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.location.line == line && error.message.contains(message)
        }
    }

    @Test func aPolicyParameterChangesTheVerdict() throws {
        let text = "rules:\n  single-replica: {parameters: {minReplicas: 3}}\n"
        let audit = Audit(policy: try Policy.parse(Array(text.utf8), path: "p.yaml"))
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
            """
        let findings = audit.run(sources: [("web.yaml", manifest)]).findings
        #expect(findings.map(\.ruleName) == ["single-replica"])
    }
}

@Suite("Policy packs")
struct PolicyPackTests {
    @Test func strictExtendsDefaultWithHigherThresholds() throws {
        let strict = try Policy.load("strict")
        let standard = try Policy.load("default")
        #expect(strict.rules["single-replica"]?.parameters["minReplicas"] == 3)
        #expect(strict.rules["no-zone-spread"]?.severity == .medium)
        #expect(Set(strict.rules.keys) == Set(standard.rules.keys), "strict turns nothing off")
    }

    @Test func minimalHoldsOnlyTheHighAndCriticalRules() throws {
        let minimal = try Policy.load("minimal")
        let highRules = RuleCatalog.all.map(\.description).filter { $0.severity >= .high }.map(\.name)
        #expect(Set(minimal.rules.keys) == Set(highRules))
    }

    @Test func aPolicyFileExtendsABuiltInAndTurnsRulesOff() throws {
        let text = "extends: default\nrules:\n  no-alarm: {enabled: false}\n  single-replica: {severity: critical}\n"
        let policy = try Policy.parse(Array(text.utf8), path: "team.yaml")
        #expect(policy.rules["no-alarm"] == nil)
        #expect(policy.rules["single-replica"]?.severity == .critical)
        #expect(policy.rules["single-replica"]?.parameters["minReplicas"] == 2, "kept from default")
        #expect(policy.rules["no-backup"] != nil)
    }
}
