import HAAuditEngine
import HAAuditModel

/// GitHub Actions workflow commands: one annotation per finding (`::error file=...,line=...::`),
/// which the Actions runner shows on the pull request's files.
public enum GitHubReporter {
    public static func render(_ result: AuditResult) -> String {
        var text = ""
        for diagnostic in result.diagnostics {
            text += command(diagnostic.level == .error ? "error" : "warning", location: diagnostic.location,
                            title: "haaudit: input problem", message: diagnostic.message)
        }
        for finding in result.findings where !finding.isSuppressed {
            let level = switch finding.severity {
            case .critical, .high: "error"
            case .medium, .low: "warning"
            case .info: "notice"
            }
            text += command(level, location: finding.location, title: "\(finding.ruleName) (\(finding.severity.rawValue))",
                            message: finding.message)
        }
        return text
    }

    private static func command(_ level: String, location: SourceLocation, title: String, message: String) -> String {
        "::\(level) file=\(Escaping.workflowProperty(location.path)),line=\(location.line),col=\(location.column),"
            + "title=\(Escaping.workflowProperty(title))::\(Escaping.workflowData(message))\n"
    }
}
