/// Where something was written: the file as reports show it, and a 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public init(path: String, _ position: Position) {
        self.init(path: path, line: position.line, column: position.column)
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }

    public var description: String { "\(path):\(line):\(column)" }
}

/// A position in a source file, 1-based.
public struct Position: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A problem with the input itself (unreadable, unparseable, inconsistent), not a finding.
public struct Diagnostic: Sendable, Hashable {
    public enum Level: String, Sendable {
        case error, warning, info
    }

    public var level: Level
    public var message: String
    public var location: SourceLocation

    public init(level: Level, message: String, location: SourceLocation) {
        self.level = level
        self.message = message
        self.location = location
    }
}
