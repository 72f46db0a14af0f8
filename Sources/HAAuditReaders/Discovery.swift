import HAAuditModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the units to audit under the paths a user gave (DESIGN sections 4 and 11): plain files
/// and Helm charts, minus the default excludes, git's ignored paths and the configuration's
/// `exclude:`; what it skips it counts.
///
/// Symbolic links are followed only while their real path stays inside the folders named on
/// the command line (a link out of them is a warning, its target never read), and a file reached
/// several ways (through links, or named twice) is audited once: files are told apart by their
/// real path.
public struct Discovery: Sendable {
    /// The configuration file in use, whose folder anchors ids outside a git work tree.
    public var configurationFile: String?
    /// Whether `node_modules`, `vendor`, `testdata`, `.terraform`, hidden folders and git's
    /// ignored paths are skipped (`--no-default-excludes` turns it off).
    public var defaultExcludes = true
    /// The configuration's `exclude:`, by display path, for a folder or a file.
    public var excludes: @Sendable (_ displayPath: String, _ isFolder: Bool) -> Bool = { _, _ in false }

    public init(configurationFile: String? = nil) {
        self.configurationFile = configurationFile
    }

    /// Hands each unit under `paths` to `found` as soon as the walk reaches it, sorted, each once,
    /// so that reading can start while the walk goes on; returns the problems (a missing path, a
    /// link loop, a link out of the named folders) as diagnostics, and what it skipped.
    public func units(under paths: [String], found: (DiscoveredUnit) -> Void) -> (diagnostics: [Diagnostic], skipped: SkipCounts) {
        withoutActuallyEscaping(found) { found in
            let configurationFolder = configurationFile.flatMap { Self.realPath(PathParts.directory($0).isEmpty ? "." : PathParts.directory($0)) }
            var walk = Walk(workingDirectory: Self.workingDirectory(), configurationFolder: configurationFolder, found: found)
            walk.defaultExcludes = defaultExcludes
            walk.excludes = excludes
            // A file named on the command line is named even when a folder named before it holds it.
            walk.namedFiles = Set(paths.compactMap { path in
                Self.realPath(path).flatMap { Self.isDirectory($0) ? nil : $0 }
            })
            walk.roots = paths.compactMap { path in
                guard path != "-", let real = Self.realPath(path) else { return nil }
                return Self.isDirectory(real) ? real : PathParts.directory(real)
            }
            for path in paths {
                if path == "-" {
                    walk.add(InputFile(displayPath: "<stdin>", openPath: "-", isNamed: true), realPath: "-")
                } else {
                    walk.visit(path, explicit: true)
                }
            }
            walk.addCompanions()
            return (walk.diagnostics, walk.skipped)
        }
    }

    public static func workingDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "." }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The absolute path with every link, `.` and `..` resolved; nil when it does not exist.
    package static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    struct Walk {
        let workingDirectory: String
        let configurationFolder: String?
        let found: (DiscoveredUnit) -> Void
        var defaultExcludes = true
        var excludes: (String, Bool) -> Bool = { _, _ in false }
        /// The folder named on the command line the walk is in (its path with a slash), and
        /// the paths git ignores in it.
        var gitIgnored: (prefix: String, paths: Set<String>)?
        var skipped = SkipCounts()
        /// The real paths of the files named on the command line.
        var namedFiles: Set<String> = []
        /// The real paths of the folders named on the command line (a named file's folder), and
        /// of the applications whose companion files are read: no link leads out of them.
        var roots: [String] = []
        /// What the identity paths of the files found now are relative to.
        var anchor = "/"
        var files: [InputFile] = []
        var diagnostics: [Diagnostic] = []
        /// Files added, by real path, so that a file reached through links is audited once.
        var seenFiles: Set<String> = []
        /// Directories entered, by device and inode, so a symbolic-link loop is entered once.
        var seenDirectories: Set<[UInt64]> = []

        init(workingDirectory: String, configurationFolder: String?, found: @escaping (DiscoveredUnit) -> Void) {
            self.workingDirectory = workingDirectory
            self.configurationFolder = configurationFolder
            self.found = found
        }

        mutating func add(_ file: InputFile, realPath: String) {
            guard !excludes(file.displayPath, false) else {
                skipped[.excluded] += 1
                return
            }
            guard seenFiles.insert(realPath).inserted else { return }
            var file = file
            if realPath != "-" { file.identityPath = Discovery.relative(realPath, to: anchor) }
            if namedFiles.contains(realPath) { file.isNamed = true }
            files.append(file)
            found(.file(file))
        }

        /// A folder with `Chart.yaml` is a chart: one unit, nothing under it read as a manifest.
        mutating func addChart(folder display: String, path: String, real: String) {
            let chartFile = Self.join(path, "Chart.yaml")
            guard seenFiles.insert(Self.join(real, "Chart.yaml")).inserted else { return }
            let file = InputFile(displayPath: display.isEmpty ? "Chart.yaml" : display + "/Chart.yaml", openPath: chartFile,
                                 identityPath: Discovery.relative(Self.join(real, "Chart.yaml"), to: anchor))
            found(.chart(ChartUnit(folder: display.isEmpty ? "." : display, chartFile: file)))
        }

        /// Why a folder or file met while walking (not named) is skipped, if it is.
        func skipReason(_ path: String, display: String, name: String, isFolder: Bool) -> SkipReason? {
            if isFolder && excludes(display, true) { return .excluded }
            guard defaultExcludes else { return nil }
            if isFolder && Discovery.isDefaultExcludedFolder(name) { return .defaultExcludes }
            if let gitIgnored, path.hasPrefix(gitIgnored.prefix), gitIgnored.paths.contains(String(path.dropFirst(gitIgnored.prefix.count))) {
                return .gitIgnored
            }
            return nil
        }

        /// `display` is the path reports show, when the caller knows it already (a folder's entries:
        /// the folder's display path and the name), which spares normalising every path; `real`
        /// is its real path, when the caller knows it (an entry of a folder, no link), which
        /// spares resolving it.
        mutating func visit(_ path: String, display knownDisplay: String? = nil, real knownReal: String? = nil, explicit: Bool) {
            let workingDirectory = workingDirectory
            let display = { knownDisplay ?? Self.displayPath(path, workingDirectory: workingDirectory) }
            var info = stat()
            guard stat(path, &info) == 0, let real = knownReal ?? Discovery.realPath(path) else {
                if explicit || lstat(path, &info) != 0 {
                    diagnostics.append(Diagnostic(level: .error, message: "cannot read \(path): \(String(cString: strerror(errno)))",
                                                  location: SourceLocation(path: display(), line: 1, column: 1)))
                }
                // A dangling symbolic link found while walking is not the user's input: skip it.
                return
            }
            let isFolder = info.st_mode & S_IFMT == S_IFDIR
            if explicit {
                anchor = Discovery.anchor(of: isFolder ? real : PathParts.directory(real), configurationFolder: configurationFolder)
                // A folder inside a chart (its templates/) is the chart's: the chart is the unit.
                if isFolder, let chart = Discovery.enclosingChart(of: real) {
                    let relative = Discovery.relative(chart, to: workingDirectory)
                    addChart(folder: relative == "." ? "" : relative, path: chart, real: chart)
                    return
                }
                if isFolder && defaultExcludes {
                    gitIgnored = (path.hasSuffix("/") ? path : path + "/", Discovery.gitIgnoredPaths(in: path))
                }
            } else if let reason = skipReason(path, display: display(), name: PathParts.fileName(path), isFolder: isFolder) {
                if isFolder || Discovery.extensions.contains(Self.fileExtension(path)) { skipped[reason] += 1 }
                return
            } else if !roots.contains(where: { Discovery.isInside(real, $0) }) {
                // Named by its link only: what it points at, out of the named folders, is not the user's input.
                diagnostics.append(Diagnostic(level: .warning,
                                              message: "skipped \(display()): a symbolic link that leads out of the folders named on the command line",
                                              location: SourceLocation(path: display(), line: 1, column: 1)))
                return
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                visitDirectory(path, display: display(), real: real, info: info)
            } else if info.st_mode & S_IFMT == S_IFREG {
                if explicit || Discovery.extensions.contains(Self.fileExtension(path)) {
                    add(InputFile(displayPath: display(), openPath: path, isNamed: explicit), realPath: real)
                }
            } else if explicit {
                // A named pipe or a device would block or never end: refuse it by name.
                diagnostics.append(Diagnostic(level: .error, message: "\(path) is not a regular file or a folder",
                                              location: SourceLocation(path: display(), line: 1, column: 1)))
            }
        }

        mutating func visitDirectory(_ path: String, display: String, real: String, info: stat) {
            guard seenDirectories.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
            guard let directory = opendir(path) else {
                diagnostics.append(Diagnostic(level: .error, message: "cannot list \(path): \(String(cString: strerror(errno)))",
                                              location: SourceLocation(path: display, line: 1, column: 1)))
                return
            }
            var entries: [(name: String, type: UInt8)] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                // `.git` is the repository's database, never its work tree; other hidden entries
                // (.github, editor files) are default excludes, counted when they are folders.
                if name == "." || name == ".." || name == ".git" { continue }
                if name.hasPrefix(".") && defaultExcludes {
                    if entry.pointee.d_type == UInt8(DT_DIR) { skipped[.defaultExcludes] += 1 }
                    continue
                }
                entries.append((name, entry.pointee.d_type))
            }
            closedir(directory)
            let displayPrefix = display.isEmpty || display == "." ? "" : display + "/"
            if entries.contains(where: { $0.name == "Chart.yaml" }) {
                addChart(folder: String(displayPrefix.dropLast()), path: path, real: real)
                return
            }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            let realPrefix = real == "/" ? "/" : real + "/"
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                // A regular file, told so by the folder itself, needs no stat of its own; an entry
                // that is no link has the folder's real path and its name as its own.
                if type == UInt8(DT_REG) {
                    guard Discovery.extensions.contains(Self.fileExtension(name)) else { continue }
                    if let reason = skipReason(prefix + name, display: displayPrefix + name, name: name, isFolder: false) {
                        skipped[reason] += 1
                    } else {
                        add(InputFile(displayPath: displayPrefix + name, openPath: prefix + name), realPath: realPrefix + name)
                    }
                } else {
                    visit(prefix + name, display: displayPrefix + name, real: type == UInt8(DT_DIR) ? realPrefix + name : nil, explicit: false)
                }
            }
        }

        static func displayPath(_ path: String, workingDirectory: String) -> String {
            let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
            let normalized = normalize(absolute)
            let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
            if normalized.hasPrefix(base) { return String(normalized.dropFirst(base.count)) }
            if normalized + "/" == base { return "" }
            return path.hasPrefix("/") ? normalized : normalize(path, relative: true)
        }

        /// Removes `.` and resolves `..` lexically.
        static func normalize(_ path: String, relative: Bool = false) -> String {
            var parts: [Substring] = []
            for part in path.split(separator: "/") {
                if part == "." { continue }
                if part == "..", let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if part != ".." || relative {
                    parts.append(part)
                }
            }
            let joined = parts.joined(separator: "/")
            return relative ? joined : "/" + joined
        }
    }
}
