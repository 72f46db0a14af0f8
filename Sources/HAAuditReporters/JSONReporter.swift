import HAAuditEngine
import HAAuditModel

/// The JSON report of DESIGN section 6 (schemaVersion 1).
public enum JSONReporter {
    public static func render(_ result: AuditResult) -> String {
        let counts = result.severityCounts.map { ($0.severity.rawValue, JSONValue.int($0.count)) }
        let report: JSONValue = .object([
            ("schemaVersion", 1),
            ("tool", .object([("name", "haaudit"), ("version", .string(HAAudit.version))])),
            ("score", .object([
                ("overall", .int(result.score.overall)),
                ("grade", .string(result.score.grade)),
                ("components", .generated(count: result.score.components.count) { index in
                    let component = result.score.components[index]
                    return .object([("component", .string(component.id)), ("score", .int(component.score))])
                }),
            ])),
            ("summary", .object(summary(result, counts: counts))),
            ("findings", .generated(count: result.findings.count) { finding(result.findings[$0]) }),
            ("diagnostics", .array(result.diagnostics.map(diagnostic))),
        ])
        return report.rendered()
    }

    private static func summary(_ result: AuditResult, counts: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("files", .int(result.files)),
            ("documents", .int(result.documents)),
            ("components", .int(result.topology.components.count)),
            ("findings", .object(counts)),
            ("suppressed", .int(result.findings.filter(\.isSuppressed).count)),
        ]
        if let baselined = result.baselined { fields.append(("baselined", .int(baselined))) }
        if result.skipped.total > 0 { fields.append(("skipped", skipped(result.skipped))) }
        return fields
    }

    /// What was not audited, by reason (`SkipReason` names); only the reasons that occurred.
    static func skipped(_ counts: SkipCounts) -> JSONValue {
        .object(counts.nonZero.map { ($0.reason.rawValue, JSONValue.int($0.count)) })
    }

    static func finding(_ finding: Finding) -> JSONValue {
        .object([
            ("ruleId", .string(finding.ruleCode)),
            ("rule", .string(finding.ruleName)),
            ("category", .string(finding.category.rawValue)),
            ("severity", .string(finding.severity.rawValue)),
            ("message", .string(finding.message)),
            ("remediation", .string(finding.remediation)),
            ("component", component(finding.component)),
            ("location", location(finding.location)),
            ("relatedLocations", .array(finding.relatedLocations.map { related in
                .object([("message", .string(related.message)), ("location", location(related.location))])
            })),
            ("profile", .optional(finding.profile)),
            ("suppressed", .bool(finding.isSuppressed)),
            ("suppression", finding.suppression.map { suppression in
                .object([("reason", .optional(suppression.reason)), ("location", location(suppression.location))])
            } ?? .null),
        ])
    }

    static func component(_ component: ComponentReference) -> JSONValue {
        .object([
            ("id", .string(component.id)),
            ("name", .string(component.name)),
            ("kind", .string(component.kind)),
            ("platform", .string(component.platform.rawValue)),
            ("namespace", .optional(component.namespace)),
        ])
    }

    static func location(_ location: SourceLocation) -> JSONValue {
        location.topologyDescription
    }

    static func diagnostic(_ diagnostic: Diagnostic) -> JSONValue {
        .object([
            ("level", .string(diagnostic.level.rawValue)),
            ("message", .string(diagnostic.message)),
            ("location", location(diagnostic.location)),
        ])
    }
}
