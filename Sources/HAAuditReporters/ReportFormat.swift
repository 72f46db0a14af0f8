import HAAuditEngine
import HAAuditRules

/// The report formats of `haaudit scan`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, sarif, markdown, github, html

    /// `jobs`: threads a long report may be written on; the report is the same whatever it is.
    public func render(_ result: AuditResult, rules: [RuleDescription], colored: Bool = false,
                       includeSuppressed: Bool = false, graph: Bool = false, jobs: Int = 1) -> String {
        switch self {
        case .text: TextReporter(colored: colored, jobs: jobs).render(result)
        case .json: JSONReporter.render(result)
        case .sarif: SARIFReporter(includeSuppressed: includeSuppressed).render(result, rules: rules)
        case .markdown: MarkdownReporter.render(result, graph: graph)
        case .github: GitHubReporter.render(result)
        case .html: HTMLReporter.render(result)
        }
    }
}
