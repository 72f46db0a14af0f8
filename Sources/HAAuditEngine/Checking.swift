import HAAuditModel
import HAAuditParallel
import HAAuditRules

extension Audit {
    /// Runs every enabled rule over every component (components in parallel): a rule that does
    /// not apply to a component says so by returning nil. Returns the components at least one
    /// rule evaluated, in the topology's order, with their findings.
    /// `writtenBy`: for a value a chart's values file set, the template lines that wrote it into
    /// manifests; a finding there names the one in its component's file.
    func check(_ topology: Topology, writtenBy: [SourceLocation: [SourceLocation]] = [:]) -> [CheckedComponent] {
        let rules = RuleCatalog.all.compactMap { rule in
            policy.rules[rule.description.name].map { EnabledRule(rule, setting: $0, topology: topology) }
        }
        let perComponent = parallelMap(topology.components, jobs: jobs, chunk: 64) { component -> CheckedComponent? in
            var findings: [Finding] = []
            var evaluated = false
            for enabled in rules {
                guard let violations = enabled.rule.evaluate(component, in: enabled.context) else { continue }
                evaluated = true
                for violation in violations {
                    findings.append(Finding(
                        ruleName: enabled.name, ruleCode: enabled.code, category: enabled.category,
                        severity: violation.isUncertain ? .info : min(enabled.severity, violation.severityCap ?? enabled.severity),
                        message: violation.fullMessage + component.variantSuffix,
                        remediation: violation.remediation ?? enabled.remediation,
                        component: ComponentReference(component),
                        location: violation.location,
                        relatedLocations: violation.related + Self.template(writing: violation.location, for: component, writtenBy),
                        profile: component.profile,
                        suppression: suppression(of: enabled.name, about: enabled.rule is UnjustifiedSuppression ? violation.key : nil,
                                             on: component, involving: violation.involves, in: topology),
                        fingerprint: Fingerprint.of(rule: enabled.name, component: component.id, key: violation.key)))
                }
            }
            return evaluated ? CheckedComponent(id: component.id, findings: findings) : nil
        }
        return perComponent.compactMap { $0 }
    }

    /// The template line that wrote a values line into the component's manifest (DESIGN section
    /// 12: a finding anchors on the values line, with the template line as a related location).
    private static func template(writing location: SourceLocation, for component: Component,
                                 _ writtenBy: [SourceLocation: [SourceLocation]]) -> [RelatedLocation] {
        guard let lines = writtenBy[location] else { return [] }
        let line = lines.first { $0.path == component.location.path } ?? lines[0]
        return [RelatedLocation("the template line that writes it", at: line)]
    }
}

/// A component at least one rule evaluated, with its findings.
struct CheckedComponent: Sendable {
    var id: String
    var findings: [Finding]
}

/// A rule as one run uses it: what findings need from its description, read once rather than
/// for every component (a description is large), with its setting and context.
private final class EnabledRule: Sendable {
    let rule: any Rule
    let name: String
    let code: String
    let category: RuleCategory
    let remediation: String
    let severity: Severity
    let context: RuleContext

    init(_ rule: any Rule, setting: Policy.RuleSetting, topology: Topology) {
        let description = rule.description
        self.rule = rule
        name = description.name
        code = description.code
        category = description.category
        remediation = description.remediation
        severity = setting.severity
        context = RuleContext(topology: topology, parameters: setting.parameters)
    }
}
