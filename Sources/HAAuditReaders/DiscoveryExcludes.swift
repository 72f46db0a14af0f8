#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders a repository holds that are never its own deployment (DESIGN section 11):
/// skipped unless `--no-default-excludes`, and git's ignored paths inside a work tree.
extension Discovery {
    static let excludedFolderNames: Set<String> = ["node_modules", "vendor", "testdata", ".terraform"]

    /// Whether a folder met while walking is a default exclude: a named one, or hidden.
    static func isDefaultExcludedFolder(_ name: String) -> Bool {
        excludedFolderNames.contains(name) || name.hasPrefix(".")
    }

    /// The paths git ignores under `folder` (relative to it, folders without their trailing
    /// slash), from the user's `git`; empty when git is missing or `folder` is not in a work
    /// tree. Only what is ignored and untracked is listed: a tracked file is the repository's
    /// even when a pattern matches it.
    static func gitIgnoredPaths(in folder: String) -> Set<String> {
        let arguments = ["git", "-C", folder, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]
        guard let output = standardOutput(of: arguments) else { return [] }
        var paths: Set<String> = []
        for entry in output.split(separator: 0) {
            var path = String(decoding: entry, as: UTF8.self)
            if path.hasSuffix("/") { path.removeLast() }
            if !path.isEmpty { paths.insert(path) }
        }
        return paths
    }

    /// Runs a program found on PATH, with no input and its errors discarded; its standard output
    /// when it exits with 0, else nil (nil too when it cannot be started).
    static func standardOutput(of arguments: [String]) -> [UInt8]? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { return nil }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited (low 7 bits 0) with code 0.
        return status & 0x7F == 0 && (status >> 8) & 0xFF == 0 ? output : nil
    }
}
