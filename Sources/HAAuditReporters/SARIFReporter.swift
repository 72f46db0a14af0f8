import HAAuditEngine
import HAAuditModel
import HAAuditRules

/// SARIF 2.1.0 for code scanning (GitHub and other consumers): every rule that ran, one result
/// per unsuppressed finding on a repository-relative line, fingerprints that survive edits, and
/// parse problems as tool execution notifications.
public struct SARIFReporter: Sendable {
    public static let informationURI = "https://github.com/haaudit/haaudit"
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// Suppressed findings too, each with a `suppressions` entry (`--include-suppressed`).
    public var includeSuppressed: Bool

    public init(includeSuppressed: Bool = false) {
        self.includeSuppressed = includeSuppressed
    }

    public func render(_ result: AuditResult, rules: [RuleDescription]) -> String {
        let indexByName = Dictionary(rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let findings = result.findings.filter { includeSuppressed || !$0.isSuppressed }
        let run: JSONValue = .object([
            ("tool", .object([("driver", .object([
                ("name", "haaudit"),
                ("version", .string(HAAudit.version)),
                ("semanticVersion", .string(HAAudit.version)),
                ("informationUri", .string(Self.informationURI)),
                ("rules", .array(rules.map(Self.rule))),
            ]))])),
            ("originalUriBaseIds", .object([("%SRCROOT%", .object([("description", .object([("text", "The folder haaudit ran in.")]))]))])),
            ("columnKind", "unicodeCodePoints"),
            ("invocations", .array([.object([
                ("executionSuccessful", .bool(!result.hasErrors)),
                ("toolExecutionNotifications", .array(result.diagnostics.map(Self.notification))),
            ])])),
            ("results", .generated(count: findings.count) { [self] index in
                sarifResult(findings[index], ruleIndex: indexByName[findings[index].ruleName] ?? 0)
            }),
            ("properties", .object([("haaudit/score", .int(result.score.overall)), ("haaudit/grade", .string(result.score.grade))]
                + (result.skipped.total > 0 ? [("haaudit/skipped", JSONReporter.skipped(result.skipped))] : []))),
        ])
        return JSONValue.object([("$schema", .string(Self.schema)), ("version", "2.1.0"), ("runs", .array([run]))]).rendered()
    }

    /// critical and high are errors, medium and low warnings, info notes.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium, .low: "warning"
        case .info: "note"
        }
    }

    private static func rule(_ description: RuleDescription) -> JSONValue {
        .object([
            ("id", .string(description.code)),
            ("name", .string(description.name)),
            ("shortDescription", .object([("text", .string(description.summary))])),
            ("fullDescription", .object([("text", .string(String(description.rationale.prefix(1024))))])),
            ("help", .object([
                ("text", .string("\(description.rationale)\n\nHow to fix: \(description.remediation)")),
                ("markdown", .string(RuleDocumentation.explain(description))),
            ])),
            ("defaultConfiguration", .object([("level", .string(level(description.severity)))])),
            ("properties", .object([
                ("tags", .array((["reliability", "availability", description.category.rawValue] + description.platforms.map(\.rawValue)).map(JSONValue.string))),
                ("precision", "high"),
                ("problem.severity", .string(description.severity >= .high ? "error" : description.severity == .info ? "recommendation" : "warning")),
            ])),
        ])
    }

    private func sarifResult(_ finding: Finding, ruleIndex: Int) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("ruleId", .string(finding.ruleCode)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(Self.level(finding.severity))),
            ("message", .object([("text", .string(finding.message))])),
            ("locations", .array([.object([
                ("physicalLocation", Self.physicalLocation(finding.location)),
                ("logicalLocations", .array([.object([
                    ("name", .string(finding.component.name)),
                    ("fullyQualifiedName", .string(finding.component.id)),
                    ("kind", .string(finding.component.platform.declaresA)),
                ])])),
            ])])),
            ("partialFingerprints", .object([(Fingerprint.version, .string(finding.fingerprint))])),
        ]
        if !finding.relatedLocations.isEmpty {
            fields.append(("relatedLocations", .array(finding.relatedLocations.enumerated().map { index, related in
                .object([
                    ("id", .int(index + 1)),
                    ("physicalLocation", Self.physicalLocation(related.location)),
                    ("message", .object([("text", .string(related.message))])),
                ])
            })))
        }
        if includeSuppressed {
            // All results carry the array (empty when not suppressed), as the spec asks.
            fields.append(("suppressions", .array(finding.suppression.map { suppression in
                [.object([
                    ("kind", .string(suppression.isExternal ? "external" : "inSource")),
                    ("status", "accepted"),
                    ("justification", .string(suppression.reason ?? "")),
                ])]
            } ?? [])))
        }
        fields.append(("properties", .object([("haaudit/severity", .string(finding.severity.rawValue)),
                                              ("haaudit/rule", .string(finding.ruleName))] + (finding.profile.map { [("haaudit/profile", .string($0))] } ?? []))))
        return .object(fields)
    }

    private static func physicalLocation(_ location: SourceLocation) -> JSONValue {
        var artifact: [(String, JSONValue)] = []
        if location.path.hasPrefix("/") {
            artifact.append(("uri", .string("file://" + Escaping.uriReference(location.path))))
        } else {
            // Standard input whose source is unknown is no file: it is named `stdin`, never `<stdin>`.
            let path = location.path == "<stdin>" ? "stdin" : location.path
            artifact.append(("uri", .string(Escaping.uriReference(path))))
            artifact.append(("uriBaseId", "%SRCROOT%"))
        }
        return .object([
            ("artifactLocation", .object(artifact)),
            ("region", .object([("startLine", .int(max(1, location.line))), ("startColumn", .int(max(1, location.column)))])),
        ])
    }

    private static func notification(_ diagnostic: Diagnostic) -> JSONValue {
        .object([
            ("descriptor", .object([("id", "HA000")])),
            ("level", .string(diagnostic.level == .error ? "error" : diagnostic.level == .warning ? "warning" : "note")),
            ("message", .object([("text", .string(diagnostic.message))])),
            ("locations", .array([.object([("physicalLocation", physicalLocation(diagnostic.location))])])),
        ])
    }
}
