import HAAuditEngine
import HAAuditModel

/// A pull-request comment: the score, a table of findings linking to their lines, and the
/// remediation of each rule that fired, folded.
public enum MarkdownReporter {
    /// With `graph`, the topology follows as a Mermaid diagram, which GitHub and GitLab draw.
    public static func render(_ result: AuditResult, graph: Bool = false) -> String {
        findings(result) + (graph ? self.graph(result) : "")
    }

    /// Mermaid's own limits (maxTextSize, maxEdges): past them a comment shows an error box.
    static let graphLimits = (characters: 50_000, edges: 500)

    private static func graph(_ result: AuditResult) -> String {
        let diagram = GraphReporter.mermaid(result)
        guard diagram.count <= graphLimits.characters, result.topology.relationshipCount <= graphLimits.edges else {
            return "\n### Topology\n\n\(result.topology.components.count) components: too many to draw here; "
                + "`haaudit topology --format dot` draws them with Graphviz.\n"
        }
        return "\n### Topology\n\nComponents coloured by their worst finding.\n\n```mermaid\n\(diagram)```\n"
    }

    private static func findings(_ result: AuditResult) -> String {
        let shown = result.findings.filter { !$0.isSuppressed }
        var text = "## haaudit: score \(result.score.overall)/100, grade \(result.score.gradeWithCap)\n\n"
        let counts = result.severityCounts.map { "\($0.count) \($0.severity.rawValue)" }
        text += "\(result.files) files, \(result.topology.components.count) components, \(shown.count) findings (\(counts.joined(separator: ", ")))"
        let suppressed = result.findings.count - shown.count
        text += suppressed > 0 ? ", \(suppressed) suppressed.\n\n" : ".\n\n"
        if !result.diagnostics.isEmpty {
            text += "**\(counted(result.diagnostics.count, "input problem"))** (not everything was audited):\n\n"
            for diagnostic in result.diagnostics {
                text += "- \(link(diagnostic.location)) \(diagnostic.level.rawValue): \(Escaping.markdown(diagnostic.message))\n"
            }
            text += "\n"
        }
        guard !shown.isEmpty else { return text + "No findings.\n" }
        text += "| severity | rule | where | component | finding |\n|---|---|---|---|---|\n"
        for finding in shown {
            text += "| \(finding.severity.rawValue) | `\(finding.ruleName)` | \(link(finding.location)) | \(Escaping.markdown(finding.component.name)) | \(Escaping.markdown(finding.message)) |\n"
        }
        text += "\n"
        var seen: Set<String> = []
        for finding in shown where seen.insert(finding.ruleName).inserted {
            let count = shown.filter { $0.ruleName == finding.ruleName }.count
            text += "<details><summary><code>\(finding.ruleName)</code> (\(finding.ruleCode), \(count)): how to fix</summary>\n\n"
            text += "\(finding.remediation)\n\nMore: `haaudit explain \(finding.ruleName)`\n\n</details>\n"
        }
        return text
    }

    /// `[path:line](path#Lline)`: relative links resolve against the pull request's files.
    private static func link(_ location: SourceLocation) -> String {
        "[\(Escaping.markdown(location.path)):\(location.line)](\(Escaping.uriReference(location.path))#L\(location.line))"
    }
}
