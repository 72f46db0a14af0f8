import ArgumentParser
import HAAuditKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options shared by the commands that read manifests.
struct InputOptions: ParsableArguments {
    @Argument(help: "Files or folders to audit; `-` reads one stream from standard input.")
    var paths: [String] = ["."]

    @Option(help: ArgumentHelp("A built-in policy (default, or see policies/) or a policy file.", valueName: "name|file"))
    var policy = "default"

    @Option(help: ArgumentHelp("A Service Fabric or Cloud Services profile to audit (repeatable); by default every profile not named Local*.",
                               valueName: "name"))
    var profile: [String] = []

    @Option(help: ArgumentHelp("Refuse files larger than this, with an error (bytes; K, M, G suffixes allowed).", valueName: "size"))
    var maxFileSize = "32M"

    func audit() throws -> Audit {
        let policy: Policy
        do {
            policy = try Policy.load(self.policy)
        } catch {
            writeToStandardError("error: invalid policy: \(error.location.description): \(error.message)\n")
            throw ExitCode(2)
        }
        var audit = Audit(policy: policy)
        guard let bytes = Self.byteCount(maxFileSize) else {
            throw ValidationError("--max-file-size takes a size such as 33554432, 512K or 32M")
        }
        audit.maxFileSize = bytes
        audit.profiles = profile
        return audit
    }

    static func byteCount(_ text: String) -> Int? {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Int(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Int(text)
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit manifests and report findings; the exit code is the CI gate.",
        discussion: """
            Folders are searched recursively for *.yaml, *.yml, *.json, *.template, *.xml, *.csdef \
            and *.cscfg files; hidden folders are skipped. Documents that are not manifests of a \
            supported platform are skipped quietly; files that do not parse are reported as \
            errors (exit 2) and everything else is still audited.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "Report format.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Fail when an unsuppressed finding is at least this severe (info, low, medium, high, critical, or none).",
                               valueName: "severity"))
    var failOn: GateSeverity = .severity(.high)

    @Option(help: ArgumentHelp("Fail when the overall score is below this.", valueName: "n"))
    var minScore: Int?

    func run() throws {
        let result = try input.audit().run(paths: input.paths)
        let report = switch format {
        case .json: JSONReporter.render(result)
        case .text: TextReporter(colored: output == nil && Terminal.wantsColor).render(result)
        }
        try emit(report, to: output)
        if result.hasErrors { throw ExitCode(2) }
        if gateFails(result) { throw ExitCode(1) }
    }

    private func gateFails(_ result: AuditResult) -> Bool {
        if case .severity(let threshold) = failOn,
           result.findings.contains(where: { !$0.isSuppressed && $0.severity >= threshold }) {
            return true
        }
        if let minScore, result.score.overall < minScore { return true }
        return false
    }
}

/// Writes a report to standard output, or atomically to a file (a temporary file beside it,
/// then a rename), so that a reader never sees half a report.
func emit(_ report: String, to path: String?) throws {
    guard let path else {
        print(report, terminator: "")
        return
    }
    let temporary = "\(path).haaudit-\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
        writeToStandardError("error: cannot write \(path): \(String(cString: strerror(errno)))\n")
        throw ExitCode(2)
    }
    var bytes = Array(report.utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
        if count < 0 {
            if errno == EINTR { continue }
            break
        }
        written += count
    }
    close(descriptor)
    guard written == bytes.count, rename(temporary, path) == 0 else {
        writeToStandardError("error: cannot write \(path): \(String(cString: strerror(errno)))\n")
        unlink(temporary)
        throw ExitCode(2)
    }
}

enum Terminal {
    /// Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
    static var wantsColor: Bool {
        isatty(1) == 1 && getenv("NO_COLOR") == nil && String(cString: getenv("TERM") ?? strdup("dumb")) != "dumb"
    }
}
