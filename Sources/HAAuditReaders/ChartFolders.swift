#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Helm charts under a folder, by the name their `Chart.yaml` gives: where the
/// `# Source: CHART/templates/x.yaml` comments of rendered standard input lead.
package enum ChartFolders {
    /// Folders never searched, as discovery skips them by default.
    static let skipped: Set<String> = ["node_modules", "vendor", "testdata", ".terraform"]
    /// How many folders a search visits at most, so that a scan from `/` stays short.
    static let folderLimit = 20_000

    /// Chart folders under `root`, relative to it (`""` for `root` itself), by chart name; the
    /// shallowest wins, then the first in path order. Links are not followed.
    package static func byName(under root: String) -> [String: String] {
        var charts: [String: String] = [:]
        var queue = [""]
        var visited = 0
        while visited < queue.count, visited < folderLimit {
            let folder = queue[visited]
            visited += 1
            let path = folder.isEmpty ? root : root + "/" + folder
            var subfolders: [String] = []
            var hasChart = false
            guard let directory = opendir(path) else { continue }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "Chart.yaml" { hasChart = true }
                if entry.pointee.d_type == UInt8(DT_DIR), !name.hasPrefix("."), !skipped.contains(name) {
                    subfolders.append(folder.isEmpty ? name : folder + "/" + name)
                }
            }
            closedir(directory)
            queue += subfolders.sorted()
            if hasChart, let name = chartName(path + "/Chart.yaml"), charts[name] == nil { charts[name] = folder }
        }
        return charts
    }

    private static func chartName(_ path: String) -> String? {
        guard case .success(let bytes) = readBytes(of: InputFile(displayPath: path, openPath: path), maxBytes: 1 << 20),
              let root = try? YAMLReader(limits: ReaderLimits()).read(bytes).first else { return nil }
        return root["name"]?.string
    }
}
