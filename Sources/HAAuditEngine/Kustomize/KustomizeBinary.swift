import HAAuditReaders

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The user's `kustomize` or `kubectl` (whose `kustomize` subcommand is the same program), which
/// renders kustomization roots (DESIGN section 11).
struct KustomizeBinary: Sendable {
    var path: String
    /// `kustomize build DIR` or `kubectl kustomize DIR`.
    var arguments: [String]

    /// The binary named with `--kustomize`, or the first `kustomize` then `kubectl` on PATH;
    /// nil with the reason when there is none.
    static func find(named: String?) -> Result<KustomizeBinary, KustomizeFailure> {
        if let named {
            guard access(named, X_OK) == 0 else { return .failure(KustomizeFailure("\(named) is not an executable file")) }
            return .success(KustomizeBinary(path: named, arguments: PathParts.fileName(named).hasPrefix("kubectl") ? ["kustomize"] : ["build"]))
        }
        let folders = (getenv("PATH").map { String(cString: $0) } ?? "").split(separator: ":")
        for (name, arguments) in [("kustomize", ["build"]), ("kubectl", ["kustomize"])] {
            for folder in folders where access(folder + "/" + name, X_OK) == 0 {
                return .success(KustomizeBinary(path: folder + "/" + name, arguments: arguments))
            }
        }
        return .failure(KustomizeFailure("neither kustomize nor kubectl is on PATH (name one with --kustomize)"))
    }

    /// Renders the kustomization in `root` (absolute) with origin annotations. Kustomize refuses
    /// absolute paths in `resources`, so it builds a wrapper in a temporary folder that names the
    /// root by its relative path; the annotations' paths are relative to that folder (`wrapper`).
    func render(root: String) -> Result<(output: [UInt8], wrapper: String), KustomizeFailure> {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/haaudit-kustomize-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { return .failure(KustomizeFailure("cannot make a temporary folder: \(String(cString: strerror(errno)))")) }
        let folder = String(cString: made)
        let wrapper = Discovery.realPath(folder) ?? folder
        defer {
            for name in ["kustomization.yaml", "out", "err"] { unlink(folder + "/" + name) }
            rmdir(folder)
        }
        let relative = Discovery.relative(Discovery.realPath(root) ?? root, to: wrapper)
        let text = "resources:\n  - \"\(relative)\"\nbuildMetadata: [originAnnotations, transformerAnnotations]\n"
        guard write(text, to: folder + "/kustomization.yaml") else {
            return .failure(KustomizeFailure("cannot write \(folder)/kustomization.yaml"))
        }
        let status = run(arguments + [folder], output: folder + "/out", errors: folder + "/err")
        let output = readWhole(folder + "/out")
        guard status == 0 else {
            let errors = String(decoding: readWhole(folder + "/err"), as: UTF8.self)
            let reason = errors.split(separator: "\n").last.map { Self.cause(String($0)) } ?? "exit status \(status)"
            return .failure(KustomizeFailure("\(PathParts.fileName(path)) failed: \(reason)"))
        }
        return .success((output, wrapper))
    }

    /// The innermost cause of a kustomize error, which nests every step that led to it
    /// (`accumulating resources: ...: lstat x: no such file or directory`), without kubectl's log prefix.
    static func cause(_ line: String) -> String {
        var text = Substring(line)
        if let start = text.firstRange(of: "err=\"") { text = text[start.upperBound...] }
        if text.hasSuffix("\"") { text = text.dropLast() }
        let parts = text.split(separator: ": ", omittingEmptySubsequences: true)
        var cause = Substring(parts.suffix(2).joined(separator: ": "))
        while let first = cause.first, first == " " || first == "'" { cause = cause.dropFirst() }
        while let last = cause.last, last == " " || last == "'" { cause = cause.dropLast() }
        return String(cause)
    }

    /// Runs the binary with standard output and error to files, standard input empty; its exit status.
    private func run(_ arguments: [String], output: String, errors: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WEXITSTATUS, which Swift does not import: the exit code, or -1 when a signal ended it.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    private func write(_ text: String, to path: String) -> Bool {
        guard let file = fopen(path, "w") else { return false }
        defer { fclose(file) }
        return fputs(text, file) >= 0
    }

    private func readWhole(_ path: String) -> [UInt8] {
        (try? readBytes(of: InputFile(displayPath: path, openPath: path), maxBytes: 1 << 30).get()) ?? []
    }
}

struct KustomizeFailure: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
