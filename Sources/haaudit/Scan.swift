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

    @Option(help: ArgumentHelp("A built-in policy (default, strict, minimal) or a policy file; overrides the configuration's.", valueName: "name|file"))
    var policy: String?

    @Option(help: ArgumentHelp("The configuration file (default: the nearest .haaudit.yaml at or above the working directory).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("A Service Fabric or Cloud Services profile to audit (repeatable); by default every profile not named Local*.",
                               valueName: "name"))
    var profile: [String] = []

    @Option(help: ArgumentHelp("Refuse files larger than this, with an error (bytes; K, M, G suffixes allowed; no file over 1 GiB is read, whatever it says).",
                               valueName: "size"))
    var maxFileSize = "32M"

    @Option(help: ArgumentHelp("Files read and parsed at once (default: the number of cores; at most \(Self.maxJobs), more counts as \(Self.maxJobs)); the report is the same whatever it is.",
                               valueName: "n"))
    var jobs: Int?

    @Flag(help: "Also read node_modules, vendor, testdata, .terraform, hidden folders and the files git ignores.")
    var noDefaultExcludes = false

    @Option(help: ArgumentHelp("The kustomize binary that renders kustomization roots, `kustomize` or `kubectl` (default: the first of them on PATH).",
                               valueName: "path"))
    var kustomize: String?

    @Option(name: .customLong("values"), help: ArgumentHelp("A values file for every Helm chart no configured release names (repeatable, in order).",
                                                          valueName: "file"))
    var valuesFiles: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("A value for every Helm chart no configured release names, as helm's --set (repeatable): image.tag=2.3.2.",
                                                       valueName: "key=value"))
    var setValues: [String] = []

    /// More threads than this only cost memory and switching: no machine a gate runs on has the cores.
    static let maxJobs = 256

    /// The configuration in force: the named file, the discovered one, or none.
    func configuration() throws -> Configuration {
        guard let path = config ?? Configuration.discover() else { return Configuration() }
        return try loading("configuration") { () throws(PolicyError) in try Configuration.load(path) }
    }

    func audit(_ configuration: Configuration) throws -> Audit {
        let policy = try loading("policy") { () throws(PolicyError) in
            try configuration.applied(to: Policy.load(self.policy ?? configuration.policy ?? "default"))
        }
        var audit = Audit(policy: policy)
        guard let bytes = Self.byteCount(maxFileSize) else {
            throw ValidationError("--max-file-size takes a size of 0 or more, such as 33554432, 512K or 32M")
        }
        audit.maxFileSize = bytes
        guard (jobs ?? 1) >= 1 else { throw ValidationError("--jobs takes a count of 1 or more") }
        audit.jobs = min(jobs ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))), Self.maxJobs)
        audit.profiles = profile.isEmpty ? configuration.profiles : profile
        audit.configuration = configuration
        audit.configuration.helm.values = valuesFiles
        audit.configuration.helm.set = setValues.enumerated().map { index, entry in
            (entry, SourceLocation(path: "--set", line: index + 1, column: 1))
        }
        audit.defaultExcludes = !noDefaultExcludes
        audit.kustomize = kustomize
        return audit
    }

    /// Runs a loader of haaudit's own files; a mistake in them is exit 2, with file and line.
    func loading<T>(_ what: String, _ load: () throws(PolicyError) -> T) throws -> T {
        do {
            return try load()
        } catch {
            // The configuration file is the repository's own, as hostile as its manifests.
            writeToStandardError("error: invalid \(what): \(Escaping.terminal("\(error.location.description): \(error.message)"))\n")
            throw ExitCode(2)
        }
    }

    /// A size in bytes, from digits and an optional suffix; a size too large for an integer is
    /// the largest one (no file is that large), a negative or malformed one is nil.
    static func byteCount(_ text: String) -> Int? {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        let (digits, factor) = units.first { text.hasSuffix($0.0) }.map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let (bytes, overflow) = (Int(digits) ?? .max).multipliedReportingOverflow(by: factor)
        return overflow ? .max : bytes
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit manifests and report findings; the exit code is the CI gate.",
        discussion: """
            Folders are searched recursively for *.yaml, *.yml, *.json, *.template, *.xml, *.csdef \
            and *.cscfg files; node_modules, vendor, testdata, .terraform, hidden folders and the \
            files git ignores are skipped (--no-default-excludes reads them), and a folder with \
            Chart.yaml is a Helm chart, not read as manifests. Files that are not manifests of a \
            supported platform are skipped and counted; a file that does not parse is an error \
            (exit 2) when it was named or looks like a manifest, and everything else is still \
            audited. A run that audits no component warns (--fail-if-empty: exit 2).

            --format and --output pair up by position: `--format text --format sarif --output - \
            --output haaudit.sarif` prints text and writes SARIF. A format without an output goes \
            to standard output.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "Report format (repeatable).")
    var format: [ReportFormat] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Where the report of the same position goes (repeatable; - is standard output).", valueName: "file"))
    var output: [String] = []

    @Option(help: ArgumentHelp("Fail when an unsuppressed finding is at least this severe (info, low, medium, high, critical, or none; default high).",
                               valueName: "severity"))
    var failOn: GateSeverity?

    @Option(help: ArgumentHelp("Fail when the overall score is below this.", valueName: "n"))
    var minScore: Int?

    @Flag(help: "Add suppressed findings to SARIF, with their suppressions.")
    var includeSuppressed = false

    @Flag(help: "Add the topology to the Markdown report as a Mermaid graph.")
    var graph = false

    @Option(help: ArgumentHelp("Report only findings not in this baseline; the gate judges only those.", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Record the current findings as a baseline in this file.", valueName: "file"))
    var writeBaseline: String?

    @Flag(help: "Exit 2 when no component was audited (configuration: failIfEmpty: true).")
    var failIfEmpty = false

    @Flag(help: "Print how long each phase took, and how much was read, to standard error (with several jobs, reading starts during discovery: its phase is the time after).")
    var timing = false

    func validate() throws {
        guard output.count <= max(format.count, 1) else {
            throw ValidationError("more --output than --format: each --output belongs to the --format at its position")
        }
        let formats = format.isEmpty ? [ReportFormat.text] : format
        let toStandardOutput = formats.indices.filter { $0 >= output.count || output[$0] == "-" }
        guard toStandardOutput.count <= 1 else {
            throw ValidationError("only one report can go to standard output; give the others an --output file")
        }
    }

    func run() throws {
        let configuration = try input.configuration()
        var audit = try input.audit(configuration)
        if let baseline {
            audit.baseline = try input.loading("baseline") { () throws(PolicyError) in try Baseline.read(baseline) }
        }
        audit.failIfEmpty = failIfEmpty || configuration.failIfEmpty
        let result = audit.run(paths: input.paths)
        let formats = format.isEmpty ? [ReportFormat.text] : format
        var reporting = Stopwatch()
        for (index, format) in formats.enumerated() {
            let path = index < output.count && output[index] != "-" ? output[index] : nil
            let report = format.render(result, rules: audit.policy.enabledRules, colored: path == nil && Terminal.wantsColor,
                                       includeSuppressed: includeSuppressed, graph: graph, jobs: audit.jobs)
            try emit(report, to: path)
        }
        if let writeBaseline { try emit(Baseline.render(result.findings), to: writeBaseline) }
        if timing {
            func milliseconds(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded())) ms" }
            let phases = (result.timings + [("report", reporting.lap())]).map { "\($0.phase) \(milliseconds($0.seconds))" }.joined(separator: ", ")
            // Rendering happens while reading; with several jobs, renders overlap and their times add up.
            let rendering = result.chartRendering
            let renders = rendering.renders == 0 ? "" : "; of reading, chart rendering \(milliseconds(rendering.seconds)) "
                + "(\(rendering.renders) \(rendering.renders == 1 ? "render" : "renders")\(audit.jobs > 1 ? ", summed over jobs" : ""))"
            writeToStandardError("haaudit: \(result.files) files, \(result.bytes) bytes, \(result.documents) documents, "
                                 + "\(result.topology.components.count) components, \(audit.jobs) jobs: \(phases)\(renders)\n")
        }
        let threshold = failOn ?? configuration.failOn.flatMap(GateSeverity.init(argument:)) ?? .severity(.high)
        exitNow(Gate(failOn: threshold.severity, minScore: minScore ?? configuration.minScore).judge(result).rawValue)
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// Ends the process with `code` at once (C's `exit` flushes the written reports): the operating
/// system reclaims the model and the findings in one go instead of the program freeing them one
/// by one.
func exitNow(_ code: Int32) -> Never {
    exit(code)
}

enum Terminal {
    /// Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
    static var wantsColor: Bool {
        guard isatty(1) == 1, getenv("NO_COLOR") == nil, let term = getenv("TERM") else { return false }
        return String(cString: term) != "dumb"
    }
}
