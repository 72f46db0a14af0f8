import HAAuditEngine
import HAAuditModel
import HAAuditParallel
import HAAuditRules

/// One line per finding (`path:line:col severity rule message`), then the score and the counts.
public struct TextReporter: Sendable {
    /// ANSI colours: only on a terminal, never with NO_COLOR (the caller decides).
    public var colored: Bool
    /// Threads that write the finding lines, a share each; the report is the same whatever it is.
    public var jobs: Int

    public init(colored: Bool, jobs: Int = 1) {
        self.colored = colored
        self.jobs = jobs
    }

    public func render(_ result: AuditResult) -> String {
        // Built as UTF-8 bytes: a report may have a hundred thousand lines, and appending bytes
        // costs a copy where appending to a String also costs its checks.
        var output: [UInt8] = []
        output.reserveCapacity(result.findings.count * 160)
        for diagnostic in result.diagnostics {
            output += "\(diagnostic.location.startingALine) \(paint(diagnostic.level.rawValue, diagnostic.level == .error ? "31;1" : "33")) \(Escaping.terminal(diagnostic.message))\n".utf8
        }
        let findings = result.findings
        let shares = stride(from: 0, to: findings.count, by: 4096).map { $0..<min($0 + 4096, findings.count) }
        let lines = parallelMap(shares, jobs: jobs) { share in
            var lines: [UInt8] = []
            lines.reserveCapacity(share.count * 160)
            var shown = 0
            for finding in findings[share] where !finding.isSuppressed {
                lines += finding.location.startingALine.utf8
                lines.append(UInt8(ascii: " "))
                lines += paint(finding.severity.rawValue, Self.color(finding.severity)).utf8
                lines.append(UInt8(ascii: " "))
                lines += finding.ruleName.utf8
                lines.append(UInt8(ascii: " "))
                lines += Escaping.terminal(finding.message).utf8
                lines.append(UInt8(ascii: "\n"))
                shown += 1
            }
            return (lines, shown)
        }
        var shown = 0
        for (share, count) in lines {
            output += share
            shown += count
        }
        if shown > 0 || !result.diagnostics.isEmpty { output.append(UInt8(ascii: "\n")) }
        let counts = result.severityCounts.map { "\($0.count) \($0.severity.rawValue)" }
        let suppressed = result.findings.count - shown
        let summary = "Score \(paint("\(result.score.overall)/100", "1")), grade \(paint(result.score.grade, "1"))\(result.score.capNote.map { " (\($0))" } ?? ""): "
            + "\(counted(result.files, "file")), \(counted(result.topology.components.count, "component")), "
            + "\(counted(shown, "finding")) (\(counts.joined(separator: ", ")))"
            + (suppressed > 0 ? ", \(suppressed) suppressed" : "")
            + (result.baselined.map { ", \($0) in the baseline" } ?? "")
            + (result.skipped.total > 0 ? "; skipped: " + result.skipped.nonZero.map { $0.reason.described($0.count) }.joined(separator: ", ") : "")
            + "\n"
        output += summary.utf8
        return String(decoding: output, as: UTF8.self)
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private static func color(_ severity: Severity) -> String {
        switch severity {
        case .critical: "35;1"
        case .high: "31;1"
        case .medium: "33"
        case .low: "36"
        case .info: "2"
        }
    }
}
