#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What discovery hands the engine (DESIGN section 11): a plain file, read and lowered by the
/// frontends, or a deployable unit that is more than its files (a Helm chart). A renderer hooks
/// in where the engine takes a unit's case.
public enum DiscoveredUnit: Sendable, Hashable {
    case file(InputFile)
    case chart(ChartUnit)

    /// The plain file, when it is one.
    public var file: InputFile? {
        if case .file(let file) = self { return file }
        return nil
    }

    /// The chart, when it is one.
    public var chart: ChartUnit? {
        if case .chart(let chart) = self { return chart }
        return nil
    }
}

/// A folder with a `Chart.yaml`: nothing under it is read as a manifest.
public struct ChartUnit: Sendable, Hashable {
    /// The chart's folder, as reports show it.
    public var folder: String
    /// Its `Chart.yaml`, where the chart's diagnostics point.
    public var chartFile: InputFile

    public init(folder: String, chartFile: InputFile) {
        self.folder = folder
        self.chartFile = chartFile
    }
}

extension Discovery {
    /// The nearest folder above `folder` (a real path) that holds a `Chart.yaml`, if any.
    static func enclosingChart(of folder: String) -> String? {
        var current = folder
        while current != "/" && !current.isEmpty {
            current = PathParts.directory(current)
            var info = stat()
            if stat((current.isEmpty ? "" : current) + "/Chart.yaml", &info) == 0 { return current.isEmpty ? "/" : current }
        }
        return nil
    }
}
