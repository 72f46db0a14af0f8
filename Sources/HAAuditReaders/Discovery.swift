import HAAuditModel

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

    public init(displayPath: String, openPath: String, identityPath: String? = nil) {
        self.displayPath = displayPath
        self.openPath = openPath
        self.identityPath = identityPath ?? displayPath
    }
}

/// Finds the files to audit under the paths a user gave (DESIGN section 4).
///
/// Symbolic links are followed only while their real path stays inside the folders named on
/// the command line (a link out of them is a warning, its target never read), and a file reached
/// several ways (through links, or named twice) is audited once: files are told apart by their
/// real path.
public struct Discovery: Sendable {
    public static let extensions: Set<String> = ["yaml", "yml", "json", "template", "xml", "csdef", "cscfg"]

    /// The configuration file in use, whose folder anchors ids outside a git work tree.
    public var configurationFile: String?

    public init(configurationFile: String? = nil) {
        self.configurationFile = configurationFile
    }

    /// Hands each file under `paths` to `found` as soon as the walk reaches it, sorted, each once,
    /// so that reading can start while the walk goes on; returns the problems (a missing path, a
    /// link loop, a link out of the named folders) as diagnostics.
    public func files(under paths: [String], found: (InputFile) -> Void) -> [Diagnostic] {
        withoutActuallyEscaping(found) { found in
            let configurationFolder = configurationFile.flatMap { Self.realPath(PathParts.directory($0).isEmpty ? "." : PathParts.directory($0)) }
            var walk = Walk(workingDirectory: Self.workingDirectory(), configurationFolder: configurationFolder, found: found)
            walk.roots = paths.compactMap { path in
                guard path != "-", let real = Self.realPath(path) else { return nil }
                return Self.isDirectory(real) ? real : PathParts.directory(real)
            }
            for path in paths {
                if path == "-" {
                    walk.add(InputFile(displayPath: "<stdin>", openPath: "-"), realPath: "-")
                } else {
                    walk.visit(path, explicit: true)
                }
            }
            walk.addCompanions()
            return walk.diagnostics
        }
    }

    public static func workingDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "." }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The absolute path with every link, `.` and `..` resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

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
    static func relative(_ path: String, to folder: String) -> String {
        if path == folder { return "." }
        if isInside(path, folder) { return String(path.dropFirst(folder == "/" ? 1 : folder.count + 1)) }
        let parts = path.split(separator: "/"), base = folder.split(separator: "/")
        let common = zip(parts, base).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: base.count - common) + parts[common...].map(String.init)).joined(separator: "/")
    }

    private struct Walk {
        let workingDirectory: String
        let configurationFolder: String?
        let found: (InputFile) -> Void
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

        init(workingDirectory: String, configurationFolder: String?, found: @escaping (InputFile) -> Void) {
            self.workingDirectory = workingDirectory
            self.configurationFolder = configurationFolder
            self.found = found
        }

        mutating func add(_ file: InputFile, realPath: String) {
            guard seenFiles.insert(realPath).inserted else { return }
            var file = file
            if realPath != "-" { file.identityPath = Discovery.relative(realPath, to: anchor) }
            files.append(file)
            found(file)
        }

        /// The files an XML template is read with, even when only the template was named: a
        /// Service Fabric application's parameter files, publish profiles and startup services,
        /// and the `.cscfg` configurations beside a Cloud Services `.csdef`.
        mutating func addCompanions() {
            for file in files where file.openPath.hasSuffix(".xml") || file.openPath.hasSuffix(".csdef") {
                let directory = PathParts.directory(file.openPath)
                if file.openPath.hasSuffix("/ApplicationManifest.xml") || file.openPath == "ApplicationManifest.xml" {
                    let application = PathParts.directory(directory)
                    guard enterCompanionFolder(application) else { continue }
                    for folder in ["ApplicationParameters", "StartupServiceParameters", "PublishProfiles"] {
                        visitFiles(in: Self.join(application, folder), suffix: ".xml")
                    }
                    let startup = Self.join(application, "StartupServices.xml")
                    var info = stat()
                    if stat(startup, &info) == 0 { visit(startup, explicit: false) }
                } else if file.openPath.hasSuffix(".csdef") {
                    guard enterCompanionFolder(directory) else { continue }
                    visitFiles(in: directory, suffix: ".cscfg")
                }
            }
        }

        /// Makes the folder of a template's companions a root, which they are read from and
        /// anchored in; false when it does not exist.
        private mutating func enterCompanionFolder(_ folder: String) -> Bool {
            guard let real = Discovery.realPath(folder.isEmpty ? "." : folder) else { return false }
            if !roots.contains(real) { roots.append(real) }
            anchor = Discovery.anchor(of: real, configurationFolder: configurationFolder)
            return true
        }

        private mutating func visitFiles(in directory: String, suffix: String) {
            guard let handle = opendir(directory.isEmpty ? "." : directory) else { return }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name.hasSuffix(suffix), !name.hasPrefix(".") { names.append(name) }
            }
            closedir(handle)
            for name in names.sorted() { visit(Self.join(directory, name), explicit: false) }
        }

        /// Joins lexically, so that the same file reached two ways is one path.
        private static func join(_ directory: String, _ name: String) -> String {
            directory.isEmpty ? name : normalize(directory + "/" + name, relative: !directory.hasPrefix("/"))
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
            if explicit {
                anchor = Discovery.anchor(of: info.st_mode & S_IFMT == S_IFDIR ? real : PathParts.directory(real),
                                          configurationFolder: configurationFolder)
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
                    add(InputFile(displayPath: display(), openPath: path), realPath: real)
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
                // Hidden entries (.git, .github, editor files) are never manifests to audit.
                if !name.hasPrefix(".") { entries.append((name, entry.pointee.d_type)) }
            }
            closedir(directory)
            let prefix = path.hasSuffix("/") ? path : path + "/"
            let displayPrefix = display.isEmpty || display == "." ? "" : display + "/"
            let realPrefix = real == "/" ? "/" : real + "/"
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                // A regular file, told so by the folder itself, needs no stat of its own; an entry
                // that is no link has the folder's real path and its name as its own.
                if type == UInt8(DT_REG) {
                    if Discovery.extensions.contains(Self.fileExtension(name)) {
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

        static func fileExtension(_ path: String) -> String {
            // On UTF-8 bytes: the dot and slash are ASCII, and a walk by characters costs more.
            let bytes = path.utf8
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), !bytes[dot...].contains(UInt8(ascii: "/")) else { return "" }
            return path[bytes.index(after: dot)...].lowercased()
        }
    }
}

/// The largest file any reader takes, whatever `--max-file-size` says: a tree stores offsets
/// as `Int32` and holds the file with the scalars it rewrites (at most as long again), so twice
/// this still fits.
public let largestReadableFile = Int(Int32.max) / 2

/// Reads a whole file, or standard input for `-`, refusing files over `maxBytes` (or over
/// `largestReadableFile`) before reading them.
package func readBytes(of file: InputFile, maxBytes: Int) -> Result<[UInt8], ReadError> {
    let descriptor = file.openPath == "-" ? 0 : open(file.openPath, O_RDONLY)
    guard descriptor >= 0 else {
        return .failure(ReadError(message: "cannot open: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
    }
    defer { if descriptor != 0 { close(descriptor) } }
    let limit = min(maxBytes, largestReadableFile)
    func tooLarge(_ subject: String) -> Result<[UInt8], ReadError> {
        let reason = maxBytes <= largestReadableFile ? "the limit of \(maxBytes) (--max-file-size)"
            : "the \(largestReadableFile) bytes (1 GiB) haaudit reads at most"
        return .failure(ReadError(message: "\(subject) larger than \(reason)", position: Position(line: 1, column: 1)))
    }
    var bytes: [UInt8] = []
    var chunkSize = 1 << 16
    var info = stat()
    if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
        guard info.st_size <= limit else { return tooLarge("file is \(info.st_size) bytes,") }
        let size = Int(info.st_size)
        // A regular file is read straight into its array, in one call when it has not changed
        // size since `fstat` (nearly always): no buffer to clear and copy, no call that reads 0.
        var count = 0
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            count = read(descriptor, buffer.baseAddress, size)
            initialized = max(count, 0)
        }
        // (An empty size may still have content: files in /proc say 0.)
        if count == size && size > 0 { return .success(bytes) }
        if count < 0 && errno != EINTR {
            return .failure(ReadError(message: "cannot read: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
        }
        chunkSize = min(chunkSize, size + 1)
    }
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            return .failure(ReadError(message: "cannot read: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
        }
        bytes.append(contentsOf: chunk[0..<count])
        guard bytes.count <= limit else { return tooLarge("input is") }
    }
    return .success(bytes)
}
