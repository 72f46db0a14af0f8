import HAAuditEngine
import HAAuditModel
import HAAuditRules

extension SourceLocation {
    /// `path:line:column` at the start of a line of a text report (see `Escaping.lineStartingPath`).
    package var startingALine: String {
        "\(Escaping.lineStartingPath(path)):\(line):\(column)"
    }
}

extension String {
    /// Left-aligned in a column `width` characters wide.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in a column `width` characters wide.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Score {
    /// Why the grade is lower than the score alone earns, if it is: "capped: 1 high finding",
    /// so that "93/100, grade C" is no riddle.
    var capNote: String? {
        guard !capping.isEmpty else { return nil }
        let parts = Severity.allCases.reversed().compactMap { severity in
            capping[severity].map { "\($0) \(severity.rawValue)" }
        }
        let total = capping.values.reduce(0, +)
        return "capped: \(parts.joined(separator: " and ")) finding\(total == 1 ? "" : "s")"
    }

    /// "C (capped: 1 high finding)", or the grade alone.
    var gradeWithCap: String {
        capNote.map { "\(grade) (\($0))" } ?? grade
    }
}
