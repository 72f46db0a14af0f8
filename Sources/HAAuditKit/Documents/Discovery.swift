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
}

/// Finds the files to audit under the paths a user gave (DESIGN section 4).
public struct Discovery: Sendable {
    public static let extensions: Set<String> = ["yaml", "yml", "json", "template", "xml", "csdef", "cscfg"]

    public init() {}

    /// Hands each file under `paths` to `found` as soon as the walk reaches it, sorted, each once,
    /// so that reading can start while the walk goes on; returns the problems (a missing path, a
    /// link loop) as diagnostics.
    public func files(under paths: [String], found: (InputFile) -> Void) -> [Diagnostic] {
        withoutActuallyEscaping(found) { found in
            var walk = Walk(workingDirectory: Self.workingDirectory(), found: found)
            for path in paths {
                if path == "-" {
                    walk.add(InputFile(displayPath: "<stdin>", openPath: "-"))
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

    private struct Walk {
        let workingDirectory: String
        let found: (InputFile) -> Void
        var files: [InputFile] = []
        var diagnostics: [Diagnostic] = []
        var seenFiles: Set<String> = []
        /// Directories entered, by device and inode, so a symbolic-link loop is entered once.
        var seenDirectories: Set<[UInt64]> = []

        init(workingDirectory: String, found: @escaping (InputFile) -> Void) {
            self.workingDirectory = workingDirectory
            self.found = found
        }

        mutating func add(_ file: InputFile) {
            guard seenFiles.insert(file.displayPath).inserted else { return }
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
                    for folder in ["ApplicationParameters", "StartupServiceParameters", "PublishProfiles"] {
                        visitFiles(in: Self.join(application, folder), suffix: ".xml")
                    }
                    let startup = Self.join(application, "StartupServices.xml")
                    var info = stat()
                    if stat(startup, &info) == 0 { visit(startup, explicit: false) }
                } else if file.openPath.hasSuffix(".csdef") {
                    visitFiles(in: directory, suffix: ".cscfg")
                }
            }
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
        /// the folder's display path and the name), which spares normalising every path.
        mutating func visit(_ path: String, display knownDisplay: String? = nil, explicit: Bool) {
            let workingDirectory = workingDirectory
            let display = { knownDisplay ?? Self.displayPath(path, workingDirectory: workingDirectory) }
            var info = stat()
            guard stat(path, &info) == 0 else {
                if explicit || lstat(path, &info) != 0 {
                    diagnostics.append(Diagnostic(level: .error, message: "cannot read \(path): \(String(cString: strerror(errno)))",
                                                  location: SourceLocation(path: display(), line: 1, column: 1)))
                }
                // A dangling symbolic link found while walking is not the user's input: skip it.
                return
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                visitDirectory(path, display: display(), info: info)
            } else if info.st_mode & S_IFMT == S_IFREG {
                if explicit || Discovery.extensions.contains(Self.fileExtension(path)) {
                    add(InputFile(displayPath: display(), openPath: path))
                }
            } else if explicit {
                // A named pipe or a device would block or never end: refuse it by name.
                diagnostics.append(Diagnostic(level: .error, message: "\(path) is not a regular file or a folder",
                                              location: SourceLocation(path: display(), line: 1, column: 1)))
            }
        }

        mutating func visitDirectory(_ path: String, display: String, info: stat) {
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
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                // A regular file, told so by the folder itself, needs no stat of its own.
                if type == UInt8(DT_REG) {
                    if Discovery.extensions.contains(Self.fileExtension(name)) {
                        add(InputFile(displayPath: displayPrefix + name, openPath: prefix + name))
                    }
                } else {
                    visit(prefix + name, display: displayPrefix + name, explicit: false)
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

/// Reads a whole file, or standard input for `-`, refusing files over `maxBytes`.
func readBytes(of file: InputFile, maxBytes: Int) -> Result<[UInt8], ReadError> {
    let descriptor = file.openPath == "-" ? 0 : open(file.openPath, O_RDONLY)
    guard descriptor >= 0 else {
        return .failure(ReadError(message: "cannot open: \(String(cString: strerror(errno)))", position: Position(line: 1, column: 1)))
    }
    defer { if descriptor != 0 { close(descriptor) } }
    var bytes: [UInt8] = []
    var chunkSize = 1 << 16
    var info = stat()
    if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            return .failure(ReadError(message: "file is \(info.st_size) bytes, larger than the limit of \(maxBytes) (--max-file-size)",
                                      position: Position(line: 1, column: 1)))
        }
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
        guard bytes.count <= maxBytes else {
            return .failure(ReadError(message: "input is larger than the limit of \(maxBytes) bytes (--max-file-size)",
                                      position: Position(line: 1, column: 1)))
        }
    }
    return .success(bytes)
}
