#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file chosen for the audit, with the path findings will show for it.
public struct InputFile: Sendable, Hashable {
    /// The path as reports print it: relative to the working directory when below it.
    public var displayPath: String
    /// The path to open (`-` is standard input).
    public var openPath: String
    /// The path component ids (and so fingerprints and baselines) use: relative to the file's
    /// anchor (`Discovery.anchor(of:)`), so that it is the same wherever the run starts.
    public var identityPath: String
    /// Named on the command line: read whatever its name, and an error when it does not parse.
    public var isNamed: Bool

    public init(displayPath: String, openPath: String, identityPath: String? = nil, isNamed: Bool = false) {
        self.displayPath = displayPath
        self.openPath = openPath
        self.identityPath = identityPath ?? displayPath
        self.isNamed = isNamed
    }
}

/// A file's identity path: what it is relative to (its anchor), and how.
extension Discovery {
    /// What ids are relative to, for a scanned root (a real path): the nearest git work tree
    /// holding it (a folder with `.git`), else the configuration's folder when it holds the root,
    /// else the root itself.
    static func anchor(of root: String, configurationFolder: String?) -> String {
        var folder = root
        while true {
            var info = stat()
            if lstat(folder == "/" ? "/.git" : folder + "/.git", &info) == 0 { return folder }
            guard folder != "/", !folder.isEmpty else { break }
            folder = PathParts.directory(folder)
            if folder.isEmpty { folder = "/" }
        }
        if let configurationFolder, isInside(root, configurationFolder) { return configurationFolder }
        return root
    }

    /// Whether the real path `path` is `folder` or below it.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    /// `path` relative to `folder` (both real paths), climbing out with `..` when it is not below it.
    package static func relative(_ path: String, to folder: String) -> String {
        if path == folder { return "." }
        if isInside(path, folder) { return String(path.dropFirst(folder == "/" ? 1 : folder.count + 1)) }
        let parts = path.split(separator: "/"), base = folder.split(separator: "/")
        let common = zip(parts, base).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: base.count - common) + parts[common...].map(String.init)).joined(separator: "/")
    }
}
