import HAAuditModel

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
