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

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Audits the files under `paths` (`-` is standard input).
    public func run(paths: [String]) -> AuditResult {
        let discovered = Discovery().files(under: paths)
        var result = run(files: discovered.files.filter { !configuration.excludes($0.displayPath) })
        result.diagnostics = discovered.diagnostics + result.diagnostics
        return result
    }

    /// Audits in-memory documents: what the rule examples and tests use.
    public func run(sources: [(path: String, text: String)]) -> AuditResult {
        var loaded = LoadedInput()
        for source in sources {
            loaded.add(path: source.path, bytes: Array(source.text.utf8), limits: limits)
        }
        return finish(loaded)
    }

    func run(files: [InputFile]) -> AuditResult {
        var loaded = LoadedInput()
        for file in files {
            switch readBytes(of: file, maxBytes: maxFileSize) {
            case .success(let bytes):
                loaded.add(path: file.displayPath, bytes: bytes, limits: limits)
            case .failure(let error):
                loaded.diagnostics.append(Diagnostic(level: .error, message: error.message,
                                                     location: SourceLocation(path: file.displayPath, error.position)))
            }
        }
        return finish(loaded)
    }

    private func finish(_ input: LoadedInput) -> AuditResult {
        var diagnostics = input.diagnostics
        let topology = input.lower(profiles: ProfileSelection(requested: profiles), diagnostics: &diagnostics)
        var (findings, evaluated) = check(topology)
        applyIgnores(to: &findings, diagnostics: &diagnostics)
        let score = Score(findings: findings, evaluatedComponents: evaluated, weights: policy.weights)
        var baselined: Int?
        if let baseline {
            let before = findings.count
            findings.removeAll { !$0.isSuppressed && baseline.contains($0.fingerprint) }
            baselined = before - findings.count
        }
        return AuditResult(files: input.fileCount, topology: topology, findings: findings,
                           diagnostics: diagnostics, score: score, baselined: baselined)
    }

    /// The configuration file's ignores suppress matching findings until they expire; an expired
    /// ignore says so instead.
    private func applyIgnores(to findings: inout [Finding], diagnostics: inout [Diagnostic]) {
        let today = Configuration.today()
        var expired: Set<SourceLocation> = []
        for index in findings.indices where !findings[index].isSuppressed {
            let finding = findings[index]
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
                findings[index].suppression = Suppression(reason: ignore.reason, location: ignore.location, isExternal: true)
                break
            }
        }
    }

    /// Runs every enabled rule over every component; returns the findings, sorted as reports
    /// print them, and the ids of the components at least one rule evaluated.
    func check(_ topology: Topology) -> ([Finding], Set<String>) {
        var findings: [Finding] = []
        var evaluated: Set<String> = []
        let rules = RuleCatalog.all.compactMap { rule in policy.rules[rule.description.name].map { (rule, $0) } }
        for (rule, setting) in rules {
            let context = RuleContext(topology: topology, parameters: setting.parameters)
            let description = rule.description
            for component in topology.components where description.platforms.contains(component.platform) {
                guard let violations = rule.evaluate(component, in: context) else { continue }
                evaluated.insert(component.id)
                for violation in violations {
                    findings.append(Finding(
                        ruleName: description.name, ruleCode: description.code, category: description.category,
                        severity: violation.isUncertain ? .info : setting.severity,
                        message: component.profile.map { "\(violation.message) [profile \($0)]" } ?? violation.message,
                        remediation: violation.remediation ?? description.remediation,
                        component: ComponentReference(component),
                        location: violation.location, relatedLocations: violation.related,
                        profile: component.profile,
                        suppression: suppression(of: description.name, on: [component.id] + violation.involves, in: topology),
                        fingerprint: Fingerprint.of(rule: description.name, component: component.id, key: violation.key)))
                }
            }
        }
        findings.sort { ($0.location, $0.ruleName, $0.component.id) < ($1.location, $1.ruleName, $1.component.id) }
        return (findings, evaluated)
    }
}

/// The author's suppression of `rule` on the first of `components` that has one (DESIGN section 8:
/// a cross-resource finding may be silenced on either object).
private func suppression(of rule: String, on components: [String], in topology: Topology) -> Suppression? {
    for id in components {
        if let suppressions = topology[id]?.suppressions, let found = suppressions[rule] ?? suppressions["all"] {
            return found
        }
    }
    return nil
}

public struct AuditResult: Sendable {
    public var files: Int
    public var topology: Topology
    public var findings: [Finding]
    public var diagnostics: [Diagnostic]
    public var score: Score
    /// Findings left out because the baseline holds them (nil without a baseline).
    public var baselined: Int?

    public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }
}

/// Documents read so far, with the diagnostics of the files that could not be read.
private struct LoadedInput {
    var documents: [SourceDocument] = []
    var xmlDocuments: [XMLSourceDocument] = []
    var diagnostics: [Diagnostic] = []
    var fileCount = 0

    mutating func add(path: String, bytes: [UInt8], limits: ReaderLimits) {
        fileCount += 1
        let syntax = DocumentSyntax.detect(path: path, bytes: bytes)
        if syntax == .xml {
            do {
                xmlDocuments.append(XMLSourceDocument(path: path, root: try XMLReader().read(bytes)))
            } catch {
                diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                              location: SourceLocation(path: path, error.position)))
            }
            return
        }
        do {
            documents += try syntax.reader(limits: limits).read(bytes).map { SourceDocument(path: path, root: $0) }
        } catch {
            // A YAML file that merely starts like JSON (`{a: b}`) is still YAML.
            if syntax == .json, !path.lowercased().hasSuffix(".json"),
               let nodes = try? DocumentSyntax.yaml.reader(limits: limits).read(bytes) {
                documents += nodes.map { SourceDocument(path: path, root: $0) }
                return
            }
            diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                          location: SourceLocation(path: path, error.position)))
        }
    }

    /// Hands every document to the first frontend that claims it, then lets each lower what it
    /// claimed.
    func lower(profiles: ProfileSelection, diagnostics: inout [Diagnostic]) -> Topology {
        var topology = Topology()
        var kubernetes = KubernetesFrontend()
        var cloudFormation = CloudFormationFrontend()
        for document in documents where document.root.isMapping {
            _ = kubernetes.claim(document) || cloudFormation.claim(document)
        }
        var serviceFabric = ServiceFabricFrontend(profiles: profiles)
        var cloudServices = CloudServicesFrontend(profiles: profiles)
        for document in xmlDocuments {
            _ = serviceFabric.claim(document) || cloudServices.claim(document)
        }
        kubernetes.lower(into: &topology, diagnostics: &diagnostics)
        cloudFormation.lower(into: &topology, diagnostics: &diagnostics)
        serviceFabric.lower(into: &topology, diagnostics: &diagnostics)
        cloudServices.lower(into: &topology, diagnostics: &diagnostics)
        return topology
    }
}
