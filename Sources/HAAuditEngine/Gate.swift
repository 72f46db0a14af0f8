import HAAuditRules

/// The CI gate (DESIGN section 5), in the library so that a program embedding haaudit gets the
/// answer `haaudit scan` exits with.
public struct Gate: Sendable {
    /// Fail when an unsuppressed finding is at least this severe; nil never fails on findings.
    public var failOn: Severity?
    /// Fail when the overall score is below this.
    public var minScore: Int?

    public init(failOn: Severity? = .high, minScore: Int? = nil) {
        self.failOn = failOn
        self.minScore = minScore
    }

    /// The exit codes of DESIGN section 5.
    public enum Outcome: Int32, Sendable {
        /// The audit ran on every input and the gate passed.
        case passed = 0
        /// An unsuppressed finding reached `failOn`, or the score is below `minScore`.
        case failed = 1
        /// Some input could not be audited: the result is incomplete, whatever it found.
        case incomplete = 2
    }

    public func judge(_ result: AuditResult) -> Outcome {
        if result.hasErrors { return .incomplete }
        if let failOn, result.findings.contains(where: { !$0.isSuppressed && $0.severity >= failOn }) { return .failed }
        if let minScore, result.score.overall < minScore { return .failed }
        return .passed
    }
}
