#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Helm charts under a folder, by the name their `Chart.yaml` gives: where the
/// `# Source: CHART/templates/x.yaml` comments of rendered standard input lead.
package enum ChartFolders {
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
                if entry.pointee.d_type == UInt8(DT_DIR), !Discovery.isDefaultExcludedFolder(name) {
                    subfolders.append(folder.isEmpty ? name : folder + "/" + name)
                }
            }
            closedir(directory)
            queue += subfolders.sorted()
            if hasChart, let name = chartName(InputFile(displayPath: path + "/Chart.yaml", openPath: path + "/Chart.yaml")),
               charts[name] == nil {
                charts[name] = folder
            }
        }
        return charts
    }

    /// The `name:` a chart's `Chart.yaml` gives, if it reads.
    package static func chartName(_ chartFile: InputFile) -> String? {
        guard case .success(let bytes) = readBytes(of: chartFile, maxBytes: 1 << 20),
              let root = try? YAMLReader(limits: ReaderLimits()).read(bytes).first else { return nil }
        return root["name"]?.string
    }
}
