import HAAuditFrontends
import HAAuditModel
import HAAuditReaders
import HAAuditRules

/// The pipeline of DESIGN section 1: discover, read, lower, check, suppress, score. Each stage
/// has its file: Loading (discovery, reading, the frontends), Checking (the rule loop),
/// Suppressing (ignores, suppression lookup), Scoring, ReportOrder.
public struct Audit: Sendable {
    public var policy: Policy
    public var limits = ReaderLimits()
    /// Files above this size are refused with a diagnostic (`--max-file-size`).
    public var maxFileSize = 32 << 20
    /// The Service Fabric and Cloud Services profiles to audit (`--profile`); empty for every
    /// profile that is not `Local*`.
    public var profiles: [String] = []
    /// Exclusions and ignores of the configuration file.
    public var configuration = Configuration()
    /// Fingerprints of accepted findings (`--baseline`): only findings not in it are reported.
    public var baseline: Set<String>?
    /// How many files are read and parsed at once (`--jobs`); the result is the same whatever it is.
    public var jobs = 1
    /// Whether discovery skips `node_modules`, `vendor`, `testdata`, `.terraform`, hidden
    /// folders and git's ignored paths (`--no-default-excludes` turns it off).
    public var defaultExcludes = true
    /// Whether a run that audited no component is an error rather than a warning (`--fail-if-empty`).
    public var failIfEmpty = false
    /// The kustomize binary that renders kustomization roots (`--kustomize`); nil to look on PATH.
    public var kustomize: String?

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Audits the files under `paths` (`-` is standard input).
    public func run(paths: [String]) -> AuditResult {
        var result = finish(load(paths: paths))
        if result.topology.components.isEmpty {
            // Never pass on nothing (DESIGN section 11): a gate that saw no component says so.
            let skipped = result.skipped.total > 0 ? "; see the summary for what was skipped" : ""
            result.diagnostics.append(Diagnostic(level: failIfEmpty ? .error : .warning,
                                                 message: "no component was audited: no manifest of a supported platform was found\(skipped)"
                                                     + (failIfEmpty ? " (--fail-if-empty)" : ""),
                                                 location: SourceLocation(path: paths.first ?? ".", line: 1, column: 1)))
        }
        return result
    }

    /// The topology model of the files under `paths`, without checking any rule: what
    /// `haaudit simulate` works on.
    public func topology(paths: [String]) -> (topology: Topology, diagnostics: [Diagnostic]) {
        var input = load(paths: paths)
        var diagnostics = input.diagnostics
        let topology = input.assemble(diagnostics: &diagnostics)
        return (topology, diagnostics)
    }

    /// Audits in-memory documents: what the rule examples and tests use.
    public func run(sources: [(path: String, text: String)]) -> AuditResult {
        var part = LoadedPart()
        for source in sources {
            part.add(path: source.path, bytes: Array(source.text.utf8), limits: limits)
        }
        var loaded = LoadedInput(settings: frontendSettings)
        loaded.merge(part)
        return finish(loaded)
    }

    var frontendSettings: FrontendSettings {
        FrontendSettings(profiles: ProfileSelection(requested: profiles), jobs: jobs, contexts: configuration.linkContexts)
    }

    private func finish(_ loaded: consuming LoadedInput) -> AuditResult {
        var input = loaded
        var diagnostics = input.diagnostics
        var timings = input.timings
        var stopwatch = Stopwatch()
        let topology = input.assemble(diagnostics: &diagnostics)
        timings.append(("link", stopwatch.lap()))
        let checked = check(topology, writtenBy: input.writtenBy)
        applyIgnores(to: checked, diagnostics: &diagnostics)
        let score = Score(checked, weights: policy.weights, jobs: jobs)
        var findings = Self.sortedForReports(checked, jobs: jobs)
        var baselined: Int?
        if let baseline {
            let before = findings.count
            findings.removeAll { !$0.isSuppressed && baseline.contains($0.fingerprint) }
            baselined = before - findings.count
        }
        timings.append(("check and score", stopwatch.lap()))
        return AuditResult(files: input.fileCount, documents: input.documentCount, bytes: input.byteCount,
                           topology: topology, findings: findings, diagnostics: diagnostics, score: score,
                           baselined: baselined, skipped: input.skipped, timings: timings, chartRendering: input.chartRendering)
    }
}

public struct AuditResult: Sendable {
    /// Files that held a manifest (and were audited).
    public var files: Int
    /// Parsed documents (YAML documents, JSON files, XML files).
    public var documents: Int
    public var bytes: Int
    public var topology: Topology
    public var findings: [Finding]
    public var diagnostics: [Diagnostic]
    public var score: Score
    /// Findings left out because the baseline holds them (nil without a baseline).
    public var baselined: Int?
    /// What discovery and reading skipped, by reason (charts not rendered, files that are not
    /// manifests, excluded paths).
    public var skipped = SkipCounts()
    /// Seconds spent in each phase (`--timing`).
    public var timings: [(phase: String, seconds: Double)] = []
    /// Time spent rendering Helm charts (part of reading; with several jobs, summed over them).
    public var chartRendering = ChartRenderTiming()

    public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    /// Unsuppressed findings per severity, most severe first: every report's summary.
    public var severityCounts: [(severity: Severity, count: Int)] {
        var counts: [Severity: Int] = [:]
        for finding in findings where !finding.isSuppressed { counts[finding.severity, default: 0] += 1 }
        return Severity.allCases.reversed().map { ($0, counts[$0] ?? 0) }
    }
}

/// The Helm renders of a run (each chart once per release) and the seconds they took: template
/// parsing and execution, without reading the chart or its values.
public struct ChartRenderTiming: Sendable {
    public var seconds = 0.0
    public var renders = 0
}
