#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pipeline of DESIGN section 1: discover, read, lower, check, suppress, score.
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

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Audits the files under `paths` (`-` is standard input).
    public func run(paths: [String]) -> AuditResult {
        finish(load(paths: paths))
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

    private var frontendSettings: FrontendSettings {
        FrontendSettings(profiles: ProfileSelection(requested: profiles), jobs: jobs)
    }

    /// Reads the files under `paths` while discovery is still walking them, and merges what they
    /// lowered to in file order while later files are still being read: with several jobs, the
    /// walk, the reading and the merging (which adds Kubernetes objects to the topology) overlap.
    private func load(paths: [String]) -> LoadedInput {
        let started = Stopwatch()
        var discovery = 0.0
        var walkDiagnostics: [Diagnostic] = []
        let (maxFileSize, limits, configuration) = (maxFileSize, limits, configuration)
        var loaded = LoadedInput(settings: frontendSettings)
        // A few consecutive files a task: fewer parts to merge.
        streamingParallelMap(jobs: jobs, batch: 8, produce: { read in
            walkDiagnostics = Discovery(configurationFile: configuration.path).files(under: paths) { file in
                if !configuration.excludes(file.displayPath) { read(file) }
            }
            discovery = started.seconds
        }, { batch in
            var part = LoadedPart()
            for file in batch { part.read(file, maxFileSize: maxFileSize, limits: limits) }
            return part
        }, consume: { loaded.merge($0) })
        loaded.diagnostics = walkDiagnostics + loaded.diagnostics
        // With several jobs, reading starts while discovery walks: its phase is the time after.
        loaded.timings = [("discover", discovery), ("read, parse and lower", started.seconds - discovery)]
        return loaded
    }

    private func finish(_ loaded: consuming LoadedInput) -> AuditResult {
        var input = loaded
        var diagnostics = input.diagnostics
        var timings = input.timings
        var stopwatch = Stopwatch()
        let topology = input.assemble(diagnostics: &diagnostics)
        timings.append(("link", stopwatch.lap()))
        let checked = check(topology)
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
                           baselined: baselined, timings: timings)
    }

    /// The configuration file's ignores suppress matching findings until they expire; an expired
    /// ignore says so instead.
    private func applyIgnores(to checked: [CheckedComponent], diagnostics: inout [Diagnostic]) {
        guard !configuration.ignores.isEmpty else { return }
        let today = Configuration.today()
        var expired: Set<SourceLocation> = []
        for finding in checked.lazy.flatMap(\.findings) where !finding.isSuppressed {
            for ignore in configuration.ignores {
                guard ignore.rule == "all" || ignore.rule == finding.ruleName,
                      ignore.path?.matches(finding.location.path) ?? true,
                      ignore.component?.matches(finding.component.name) ?? true else { continue }
                if let expires = ignore.expires, expires <= today {
                    if expired.insert(ignore.location).inserted {
                        diagnostics.append(Diagnostic(level: .warning,
                                                      message: "the ignore of \(ignore.rule) expired on \(expires); its findings are reported again",
                                                      location: ignore.location))
                    }
                    continue
                }
                finding.suppression = Suppression(reason: ignore.reason, location: ignore.location, isExternal: true)
                break
            }
        }
    }

    /// Runs every enabled rule over every component (components in parallel): a rule that does
    /// not apply to a component says so by returning nil. Returns the components at least one
    /// rule evaluated, in the topology's order, with their findings.
    func check(_ topology: Topology) -> [CheckedComponent] {
        let rules = RuleCatalog.all.compactMap { rule in
            policy.rules[rule.description.name].map { EnabledRule(rule, setting: $0, topology: topology) }
        }
        // Unretained (`rules` keeps them), so that running a rule on a component costs no
        // reference counting of the rule, which with a hundred thousand components and two dozen
        // rules was a tenth of the check.
        let unretainedRules = rules.map(Unmanaged.passUnretained)
        let perComponent = parallelMap(topology.components, jobs: jobs, chunk: 64) { component -> CheckedComponent? in
            var findings: [Finding] = []
            var evaluated = false
            for unretained in unretainedRules {
                unretained._withUnsafeGuaranteedRef { enabled in
                    guard let violations = enabled.rule.evaluate(component, in: enabled.context) else { return }
                    evaluated = true
                    for violation in violations {
                        findings.append(Finding(
                            ruleName: enabled.name, ruleCode: enabled.code, category: enabled.category,
                            severity: violation.isUncertain ? .info : enabled.severity,
                            message: component.profile == nil ? violation.fullMessage : violation.fullMessage + Component.profileSuffix(component.profile),
                            remediation: violation.remediation ?? enabled.remediation,
                            component: ComponentReference(component),
                            location: violation.location, relatedLocations: violation.related,
                            profile: component.profile,
                            suppression: suppression(of: enabled.name, on: component, involving: violation.involves, in: topology),
                            fingerprint: Fingerprint.of(rule: enabled.name, component: component.id, key: violation.key)))
                    }
                }
            }
            return evaluated ? CheckedComponent(id: component.id, findings: findings) : nil
        }
        withExtendedLifetime(rules) {}
        return perComponent.compactMap { $0 }
    }

    /// The findings of every checked component, by path, line, column, rule, component. Paths
    /// are ranked once (consecutive findings mostly share one, which then needs no lookup), and
    /// positions are sorted by compact keys, so that sorting a few hundred thousand findings
    /// compares integers and moves each finding once.
    static func sortedForReports(_ checked: [CheckedComponent], jobs: Int = 1) -> [Finding] {
        var pathIDs: [String: Int] = [:]
        var paths: [String] = []
        var keys: [SortKey] = []
        keys.reserveCapacity(checked.reduce(0) { $0 + $1.findings.count })
        var last: (path: String, id: Int)?
        for (group, component) in checked.enumerated() {
            for (index, finding) in component.findings.enumerated() {
                let location = finding.location
                let id: Int
                if let last, last.path == location.path {
                    id = last.id
                } else {
                    id = pathIDs[location.path] ?? paths.count
                    if id == paths.count {
                        paths.append(location.path)
                        pathIDs[location.path] = id
                    }
                    last = (location.path, id)
                }
                keys.append(SortKey(path: id, line: location.line, column: location.column, group: group, index: index))
            }
        }
        var rank = [Int](repeating: 0, count: paths.count)
        for (position, id) in paths.indices.sorted(by: { paths[$0] < paths[$1] }).enumerated() { rank[id] = position }
        for index in keys.indices { keys[index].rank(rank[keys[index].path]) }
        @Sendable func finding(_ key: SortKey) -> Finding { checked[key.group].findings[key.index] }
        let order = parallelSorted(keys, jobs: jobs) { left, right in
            if left.packed != right.packed { return left.packed < right.packed }
            if (left.rank, left.line, left.column) != (right.rank, right.line, right.column) {
                return (left.rank, left.line, left.column) < (right.rank, right.line, right.column)
            }
            let (a, b) = (finding(left), finding(right))
            return (a.ruleName, a.component.id) < (b.ruleName, b.component.id)
        }
        return order.map(finding)
    }

    private struct SortKey {
        var path: Int
        var line: Int
        var column: Int
        var group: Int
        var index: Int
        var rank = 0
        /// Rank, line and column in one integer (each clamped to its field), which decides nearly
        /// every comparison; equal ones are compared in full.
        var packed: UInt64 = 0

        init(path: Int, line: Int, column: Int, group: Int, index: Int) {
            (self.path, self.line, self.column, self.group, self.index) = (path, line, column, group, index)
        }

        mutating func rank(_ rank: Int) {
            self.rank = rank
            func field(_ value: Int, bits: Int) -> UInt64 { UInt64(min(max(value, 0), (1 << bits) - 1)) }
            packed = field(rank, bits: 22) << 42 | field(line, bits: 26) << 16 | field(column, bits: 16)
        }
    }
}

/// A component at least one rule evaluated, with its findings.
struct CheckedComponent: Sendable {
    var id: String
    var findings: [Finding]
}

/// A rule as one run uses it: what findings need from its description, read once rather than
/// for every component (a description is large), with its setting and context.
private final class EnabledRule: Sendable {
    let rule: any Rule
    let name: String
    let code: String
    let category: RuleCategory
    let remediation: String
    let severity: Severity
    let context: RuleContext

    init(_ rule: any Rule, setting: Policy.RuleSetting, topology: Topology) {
        let description = rule.description
        self.rule = rule
        name = description.name
        code = description.code
        category = description.category
        remediation = description.remediation
        severity = setting.severity
        context = RuleContext(topology: topology, parameters: setting.parameters)
    }
}

/// The author's suppression of `rule` on `component`, or else on the first of the other components
/// involved that has one (DESIGN section 8: a cross-resource finding may be silenced on either object).
private func suppression(of rule: String, on component: Component, involving others: [String], in topology: Topology) -> Suppression? {
    func found(in suppressions: [String: Suppression]) -> Suppression? {
        suppressions.isEmpty ? nil : suppressions[rule] ?? suppressions["all"]
    }
    return found(in: component.suppressions) ?? others.lazy.compactMap { topology[$0].flatMap { found(in: $0.suppressions) } }.first
}

public struct AuditResult: Sendable {
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
    /// Seconds spent in each phase (`--timing`).
    public var timings: [(phase: String, seconds: Double)] = []

    public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    /// Unsuppressed findings per severity, most severe first: every report's summary.
    public var severityCounts: [(severity: Severity, count: Int)] {
        var counts: [Severity: Int] = [:]
        for finding in findings where !finding.isSuppressed { counts[finding.severity, default: 0] += 1 }
        return Severity.allCases.reversed().map { ($0, counts[$0] ?? 0) }
    }
}

/// Everything read so far, merged in file order: each frontend has taken what the files it
/// claimed lowered to (Kubernetes objects are already in the topology), with the diagnostics of
/// the files that could not be read.
private struct LoadedInput {
    var topology = Topology()
    /// The run's instance of each frontend of the registry, in its order.
    var frontends: [any Frontend]
    var diagnostics: [Diagnostic] = []
    var fileCount = 0
    var byteCount = 0
    var documentCount = 0
    var timings: [(phase: String, seconds: Double)] = []

    init(settings: FrontendSettings) {
        frontends = FrontendRegistry.all.map { $0.init(settings: settings) }
    }

    mutating func merge(_ part: LoadedPart) {
        for index in frontends.indices {
            frontends[index].add(part.lowered[index], to: &topology)
        }
        diagnostics += part.diagnostics + part.lowered.flatMap(\.diagnostics)
        fileCount += part.fileCount
        byteCount += part.byteCount
        documentCount += part.documentCount
    }

    /// Lets each frontend link what it took, in the registry's order. Takes the topology out
    /// rather than copying it: changing a copy while this one still held it would copy every
    /// component list and index.
    mutating func assemble(diagnostics: inout [Diagnostic]) -> Topology {
        var topology = Topology()
        swap(&topology, &self.topology)
        for index in frontends.indices {
            frontends[index].link(&topology, diagnostics: &diagnostics)
        }
        return topology
    }
}

/// What a batch of files read together lowered to, by frontend (in the registry's order), with
/// the diagnostics of those that could not be read.
private struct LoadedPart: Sendable {
    var lowered = [LoweredDocument](repeating: LoweredDocument(), count: FrontendRegistry.all.count)
    var diagnostics: [Diagnostic] = []
    var fileCount = 0
    var byteCount = 0
    var documentCount = 0

    mutating func read(_ file: InputFile, maxFileSize: Int, limits: ReaderLimits) {
        switch readBytes(of: file, maxBytes: maxFileSize) {
        case .success(let bytes):
            add(path: file.displayPath, identityPath: file.identityPath, bytes: bytes, limits: limits)
        case .failure(let error):
            diagnostics.append(Diagnostic(level: .error, message: error.message,
                                          location: SourceLocation(path: file.displayPath, error.position)))
        }
    }

    mutating func add(path: String, identityPath: String? = nil, bytes: [UInt8], limits: ReaderLimits) {
        fileCount += 1
        byteCount += bytes.count
        let syntax = DocumentSyntax.detect(path: path, bytes: bytes)
        if syntax == .xml {
            do {
                let document = XMLSourceDocument(path: path, identityPath: identityPath, root: try XMLReader().read(bytes))
                documentCount += 1
                // Documents of no supported family are skipped quietly.
                for (index, frontend) in FrontendRegistry.all.enumerated() where frontend.lower(document, into: &lowered[index]) { break }
            } catch {
                diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                              location: SourceLocation(path: path, error.position)))
            }
            return
        }
        let nodes: [Node]
        do {
            nodes = try syntax.reader(limits: limits).read(bytes)
        } catch {
            // A YAML file that merely starts like JSON (`{a: b}`) is still YAML.
            if syntax == .json, !path.lowercased().hasSuffix(".json"),
               let yaml = try? DocumentSyntax.yaml.reader(limits: limits).read(bytes) {
                lower(yaml, path: path, identityPath: identityPath)
                return
            }
            diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                          location: SourceLocation(path: path, error.position)))
            return
        }
        lower(nodes, path: path, identityPath: identityPath)
    }

    /// Hands each document to the first frontend that takes it; documents of no supported
    /// family (Helm values, `package.json`) are skipped quietly.
    private mutating func lower(_ nodes: [Node], path: String, identityPath: String?) {
        documentCount += nodes.count
        for node in nodes where node.isMapping {
            let document = SourceDocument(path: path, identityPath: identityPath, root: node)
            for (index, frontend) in FrontendRegistry.all.enumerated() where frontend.lower(document, into: &lowered[index]) { break }
        }
    }
}

/// Wall-clock time, for `--timing`.
public struct Stopwatch: Sendable {
    private var start = Stopwatch.now()

    public init() {}

    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public var seconds: Double { Stopwatch.now() - start }

    /// The seconds since the last lap (or the start), starting a new lap.
    public mutating func lap() -> Double {
        let now = Stopwatch.now()
        defer { start = now }
        return now - start
    }
}
