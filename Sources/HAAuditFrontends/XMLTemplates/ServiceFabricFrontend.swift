import HAAuditModel
import HAAuditReaders

/// Lowers Azure Service Fabric applications: the services of `ApplicationManifest.xml` (and
/// `StartupServices.xml`), with `[Name]` parameters resolved per profile from the
/// `ApplicationParameters/` and `StartupServiceParameters/` files, container liveness from the
/// service manifests and policies, and upgrade modes from the publish profiles.
struct ServiceFabricFrontend: Frontend {
    static let fabric = "http://schemas.microsoft.com/2011/01/fabric"
    static let tools = "http://schemas.microsoft.com/2015/05/fabrictools"

    var profiles: ProfileSelection
    private var manifests: [XMLSourceDocument] = []
    private var startupManifests: [XMLSourceDocument] = []
    private var parameterFiles: [XMLSourceDocument] = []
    private var publishProfiles: [XMLSourceDocument] = []
    private var serviceManifests: [String: XMLSourceDocument] = [:]

    init(settings: FrontendSettings) {
        profiles = settings.profiles
    }

    /// Keeps every document of the fabric's namespace, and publish profiles, for `link`.
    static func lower(_ document: XMLSourceDocument, into lowered: inout LoweredDocument) -> Bool {
        let root = document.root
        guard root.namespace == fabric || (root.namespace == tools && root.name == "PublishProfile") else { return false }
        lowered.keptDocuments.append(document)
        return true
    }

    mutating func add(_ lowered: LoweredDocument, to topology: inout Topology) {
        for document in lowered.keptDocuments {
            let root = document.root
            switch (root.namespace, root.name) {
            case (Self.fabric, "ApplicationManifest"): manifests.append(document)
            case (Self.fabric, "StartupServicesManifest"): startupManifests.append(document)
            case (Self.fabric, "Application"), (Self.fabric, "StartupServices"): parameterFiles.append(document)
            case (Self.tools, "PublishProfile"): publishProfiles.append(document)
            case (Self.fabric, "ServiceManifest"):
                if let name = root.attribute("Name")?.value { serviceManifests[name] = serviceManifests[name] ?? document }
            default: break
            }
        }
    }

    /// The application folder a file belongs to: the parent of `ApplicationPackageRoot/`,
    /// `ApplicationParameters/`, `StartupServiceParameters/` and `PublishProfiles/`, or the
    /// folder of `StartupServices.xml` itself.
    static func applicationRoot(_ path: String) -> String {
        let directory = PathParts.directory(path)
        let folder = PathParts.fileName(directory)
        if ["ApplicationPackageRoot", "ApplicationParameters", "StartupServiceParameters", "PublishProfiles"].contains(folder) {
            return PathParts.directory(directory)
        }
        return directory
    }

    mutating func link(_ topology: inout Topology, diagnostics: inout [Diagnostic]) {
        // An application is its ApplicationManifest.xml, or a StartupServices.xml with none beside it.
        let roots = Set(manifests.map { Self.applicationRoot($0.path) })
        let startupOnly = startupManifests.filter { !roots.contains(Self.applicationRoot($0.path)) }
        for startup in startupOnly {
            diagnostics.append(Diagnostic(level: .warning, message: """
                StartupServices.xml has no ApplicationPackageRoot/ApplicationManifest.xml beside it: its services are audited, \
                but the policies of their code packages are not known, so container liveness is not checked
                """, location: startup.location(startup.root.position)))
        }
        for manifest in manifests + startupOnly {
            let root = Self.applicationRoot(manifest.path)
            let startup = manifest.root.name == "StartupServicesManifest" ? nil : startupManifests.first { Self.applicationRoot($0.path) == root }
            if manifest.root.child(path: "DefaultServices", "Service") != nil || startup?.root.child(path: "Services", "Service") != nil {
                warnOfUnreadContainerPackages(manifest, diagnostics: &diagnostics)
            }
            let files = parameterFiles.filter { Self.applicationRoot($0.path) == root }
            let available = Array(Set(files.map { PathParts.stem($0.path) }))
            for profile in profiles.select(from: available) {
                let application = ServiceFabricApplication(
                    manifest: manifest, startup: startup, profile: profile,
                    parameterFiles: files.filter { PathParts.stem($0.path) == profile },
                    serviceManifests: serviceManifests)
                application.lower(into: &topology, diagnostics: &diagnostics)
                if let publish = publishProfiles.first(where: { Self.applicationRoot($0.path) == root && Self.profileName(of: $0) == profile }) {
                    application.lowerUpgrade(publish, into: &topology)
                }
            }
        }
    }

    /// Container packages are found in service manifests: an imported one that is not in the run
    /// hides whether the application's services run containers without a liveness probe.
    private func warnOfUnreadContainerPackages(_ manifest: XMLSourceDocument, diagnostics: inout [Diagnostic]) {
        for `import` in manifest.root.children("ServiceManifestImport") {
            guard let reference = `import`.child("ServiceManifestRef"), let name = reference.attribute("ServiceManifestName")?.value,
                  serviceManifests[name] == nil, let policies = `import`.child("Policies") else { continue }
            // A package whose policies give it a liveness signal hides no defect.
            let unprobed = policies.children("ContainerHostPolicies").filter { policy in
                ServiceFabricApplication.liveness(of: policy.attribute("CodePackageRef")?.value ?? "", policies: policies, in: manifest) == nil
            }
            guard let policy = unprobed.first else { continue }
            diagnostics.append(Diagnostic(level: .warning, message: """
                container code package \(policy.attribute("CodePackageRef")?.value ?? "(unnamed)") of \(name) has no liveness probe \
                or Docker health integration, but which services run it is not known: service manifest \(name) is not among \
                the scanned files (scan its PackageRoot/ServiceManifest.xml with the application)
                """, location: manifest.location(policy.position)))
        }
    }

    /// A publish profile belongs to the profile of the parameter file it names.
    private static func profileName(of publish: XMLSourceDocument) -> String {
        if let path = publish.root.child("ApplicationParameterFile")?.attribute("Path")?.value {
            return PathParts.stem(path)
        }
        return PathParts.stem(publish.path)
    }
}

/// One application under one profile.
struct ServiceFabricApplication {
    /// The `ApplicationManifest.xml`, or the `StartupServices.xml` of an application that has none.
    let manifest: XMLSourceDocument
    let startup: XMLSourceDocument?
    let profile: String
    let parameterFiles: [XMLSourceDocument]
    let serviceManifests: [String: XMLSourceDocument]

    /// A parameter's value and where it was written.
    private struct Value {
        var text: String
        var location: SourceLocation
        var note: String?
        /// The manifest attribute that referred to the parameter, when the value came from elsewhere.
        var reference: SourceLocation?
    }

    /// The parameters the manifests declare, with their defaults.
    private let declared: [String: (value: String, location: SourceLocation)]
    /// The values this profile's parameter files give, where they give them (the last file wins).
    private let overrides: [String: (value: String, location: SourceLocation)]

    init(manifest: XMLSourceDocument, startup: XMLSourceDocument?, profile: String,
         parameterFiles: [XMLSourceDocument], serviceManifests: [String: XMLSourceDocument]) {
        self.manifest = manifest
        self.startup = startup
        self.profile = profile
        self.parameterFiles = parameterFiles
        self.serviceManifests = serviceManifests
        var declared: [String: (value: String, location: SourceLocation)] = [:]
        for document in [manifest] + (startup.map { [$0] } ?? []) {
            for parameter in document.root.child("Parameters")?.children("Parameter") ?? [] {
                guard let name = parameter.attribute("Name")?.value else { continue }
                let value = parameter.attribute("DefaultValue") ?? parameter.attribute("Value")
                declared[name] = (value?.value ?? "", document.location(value?.position ?? parameter.position))
            }
        }
        var overrides: [String: (value: String, location: SourceLocation)] = [:]
        for file in parameterFiles {
            for parameter in file.root.child("Parameters")?.children("Parameter") ?? [] {
                guard let name = parameter.attribute("Name")?.value, let value = parameter.attribute("Value") else { continue }
                overrides[name] = (value.value, file.location(value.position))
            }
        }
        self.declared = declared
        self.overrides = overrides
    }

    /// Resolves an attribute that may be a `[Name]` reference. Nil (with a diagnostic) when it
    /// names a parameter declared nowhere.
    private func resolve(_ attribute: XMLAttribute, in document: XMLSourceDocument, diagnostics: inout [Diagnostic]) -> Value? {
        let at = document.location(attribute.position)
        let text = attribute.value
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count > 2 else { return Value(text: text, location: at) }
        let name = String(text.dropFirst().dropLast())
        guard let declaration = declared[name] else {
            diagnostics.append(Diagnostic(level: .error, message: "\(attribute.name) refers to parameter [\(name)], which is declared nowhere", location: at))
            return nil
        }
        if let override = overrides[name] {
            return Value(text: override.value, location: override.location, note: "parameter \(name) in profile \(profile)", reference: at)
        }
        return Value(text: declaration.value, location: at, note: "parameter \(name), default \(declaration.value.isEmpty ? "empty" : declaration.value)")
    }

    /// A count attribute as a fact: its documented default when absent, an error diagnostic when
    /// it is not a whole number, unknown when the parameter is left empty for deploy time.
    private func count(_ element: XMLElement, _ name: String, default defaultValue: Int, in document: XMLSourceDocument,
                       diagnostics: inout [Diagnostic]) -> Fact<Int> {
        guard let attribute = element.attribute(name) else {
            return .defaulted(defaultValue, at: document.location(element.position), source: name)
        }
        guard let value = resolve(attribute, in: document, diagnostics: &diagnostics) else {
            return .unknown(at: document.location(attribute.position), source: name, reason: "\(attribute.value) is declared nowhere")
        }
        var fact: Fact<Int>
        let trimmed = value.text.trimmingWhitespace()
        if let number = Int(trimmed) {
            fact = .known(number, at: value.location, source: name, note: value.note)
        } else if trimmed.isEmpty {
            fact = .unknown(at: value.location, source: name, reason: "\(value.note ?? "the value") is empty: it is set at deploy time")
        } else {
            diagnostics.append(Diagnostic(level: .error, message: "\(name) is '\(value.text)' (\(value.note ?? "as written")), which is not a whole number",
                                          location: value.location))
            fact = .unknown(at: value.location, source: name, reason: "'\(value.text)' is not a whole number")
        }
        fact.usedAt = value.reference
        return fact
    }

    func lower(into topology: inout Topology, diagnostics: inout [Diagnostic]) {
        for document in [manifest] + (startup.map { [$0] } ?? []) {
            let services = document.root.name == "StartupServicesManifest" ? document.root.child("Services") : document.root.child("DefaultServices")
            for service in services?.children("Service") ?? [] {
                guard let name = service.attribute("Name")?.value else { continue }
                let location = document.location(service.position)
                let id = "sf:\(manifest.identityPath)#\(name)@\(profile)"
                var component: Component
                if let stateless = service.child("StatelessService") {
                    let instances = count(stateless, "InstanceCount", default: 1, in: document, diagnostics: &diagnostics)
                    let perNode = instances.value == -1
                    component = Component(id: id, name: name, kind: "StatelessService", platform: .servicefabric, namespace: nil,
                                          role: .workload(perNode ? .perNode : .service), location: location)
                    if !perNode { component.instances = Instances(minimum: instances, desired: instances, maximum: nil) }
                    component.recovery = .known(.platform("Service Fabric"), at: location, source: "Service Fabric")
                    component.containers = containers(serviceType: stateless.attribute("ServiceTypeName")?.value)
                } else if let stateful = service.child("StatefulService") {
                    component = Component(id: id, name: name, kind: "StatefulService", platform: .servicefabric, namespace: nil,
                                          role: .datastore, location: location)
                    let target = count(stateful, "TargetReplicaSetSize", default: 1, in: document, diagnostics: &diagnostics)
                    let minimum = count(stateful, "MinReplicaSetSize", default: 1, in: document, diagnostics: &diagnostics)
                    component.standbyRequirements = [.atLeast(target, 3), .atLeast(minimum, 2)]
                } else {
                    continue
                }
                component.profile = profile
                component.suppressions = Suppression.fromComments(service.precedingComments, at: location)
                topology.add(component)
            }
        }
    }

    /// Container code packages of the service type, each with its liveness signal: a liveness
    /// probe, or Docker HEALTHCHECK integration. Other code packages report health from code,
    /// which cannot be seen statically.
    private func containers(serviceType: String?) -> [Container] {
        guard let serviceType else { return [] }
        for `import` in manifest.root.children("ServiceManifestImport") {
            guard let name = `import`.child("ServiceManifestRef")?.attribute("ServiceManifestName")?.value,
                  let serviceManifest = serviceManifests[name] else { continue }
            let types = serviceManifest.root.child("ServiceTypes")?.children ?? []
            guard types.contains(where: { $0.attribute("ServiceTypeName")?.value == serviceType }) else { continue }
            let policies = `import`.child("Policies")
            return serviceManifest.root.children("CodePackage").compactMap { package in
                guard package.child(path: "EntryPoint", "ContainerHost") != nil, let packageName = package.attribute("Name")?.value else { return nil }
                var container = Container(name: packageName, location: serviceManifest.location(package.position), servesTraffic: false,
                                          supportsLivenessProbe: true)
                container.liveness = Self.liveness(of: packageName, policies: policies, in: manifest)
                return container
            }
        }
        return []
    }

    /// A code package's liveness signal, from the application manifest's policies.
    static func liveness(of package: String, policies: XMLElement?, in manifest: XMLSourceDocument) -> Probe? {
        for policy in policies?.children("CodePackagePolicy") ?? [] where policy.attribute("CodePackageRef")?.value == package {
            for probe in policy.child("Probes")?.children("Probe") ?? [] where probe.attribute("Type")?.value == "Liveness" {
                let at = manifest.location(probe.position)
                func timing(_ key: String, _ defaultValue: Int) -> Fact<Int> {
                    guard let attribute = probe.attribute(key), let value = Int(attribute.value) else {
                        return .defaulted(defaultValue, at: at, source: key)
                    }
                    return .known(value, at: manifest.location(attribute.position), source: key)
                }
                return Probe(location: at, handler: .unspecified, port: nil,
                             initialDelaySeconds: timing("InitialDelaySeconds", 0), periodSeconds: timing("PeriodSeconds", 10),
                             timeoutSeconds: timing("TimeoutSeconds", 1), failureThreshold: timing("FailureThreshold", 3),
                             successThreshold: timing("SuccessThreshold", 1))
            }
        }
        for policy in policies?.children("ContainerHostPolicies") ?? [] where policy.attribute("CodePackageRef")?.value == package {
            if let health = policy.child("HealthConfig"), health.attribute("IncludeDockerHealthStatusInSystemHealthReport")?.value.lowercased() == "true" {
                return .external(at: manifest.location(health.position), source: "Docker HEALTHCHECK integration")
            }
        }
        return nil
    }

    /// The publish profile's upgrade mode, as the application's rollout.
    func lowerUpgrade(_ publish: XMLSourceDocument, into topology: inout Topology) {
        guard let upgrade = publish.root.child("UpgradeDeployment"), let mode = upgrade.attribute("Mode") else { return }
        if upgrade.attribute("Enabled")?.value.lowercased() == "false" { return }
        let folder = PathParts.fileName(ServiceFabricFrontend.applicationRoot(manifest.path))
        let name = manifest.root.attribute("ApplicationTypeName")?.value ?? (folder.isEmpty ? PathParts.stem(manifest.path) : folder)
        let application = Component(id: "sf:\(manifest.identityPath)#\(name)@\(profile)", name: name, kind: "Application",
                                    platform: .servicefabric, namespace: nil, role: .control, location: publish.location(upgrade.position))
        application.profile = profile
        let strategy: Rollout.Strategy = mode.value == "UnmonitoredAuto" ? .unmonitored : .rolling
        application.rollout = Rollout(strategy: .known(strategy, at: publish.location(mode.position), source: "UpgradeDeployment Mode",
                                                       note: mode.value))
        application.suppressions = Suppression.fromComments(upgrade.precedingComments, at: publish.location(upgrade.position))
        topology.add(application)
    }
}
