import HAAuditModel
import HAAuditReaders

/// Lowers Azure Cloud Services: the roles of a `ServiceDefinition.csdef`, with their instance
/// counts from each `ServiceConfiguration.<Profile>.cscfg` beside it, and their load-balancer
/// probes.
struct CloudServicesFrontend: Frontend {
    static let definition = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"
    static let configuration = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"

    var profiles: ProfileSelection
    private var definitions: [XMLSourceDocument] = []
    private var configurations: [XMLSourceDocument] = []

    init(settings: FrontendSettings) {
        profiles = settings.profiles
    }

    static func lower(_ document: XMLSourceDocument, into lowered: inout LoweredDocument) -> Bool {
        switch (document.root.namespace, document.root.name) {
        case (definition, "ServiceDefinition"), (configuration, "ServiceConfiguration"): lowered.keptDocuments.append(document)
        default: return false
        }
        return true
    }

    mutating func add(_ lowered: LoweredDocument, to topology: inout Topology) {
        for document in lowered.keptDocuments {
            if document.root.name == "ServiceDefinition" { definitions.append(document) } else { configurations.append(document) }
        }
    }

    /// `ServiceConfiguration.Cloud.cscfg` is profile `Cloud`.
    private static func profileName(_ path: String) -> String {
        let stem = PathParts.stem(path)
        let prefix = "ServiceConfiguration."
        return stem.hasPrefix(prefix) ? String(stem.dropFirst(prefix.count)) : stem
    }

    mutating func link(_ topology: inout Topology, diagnostics: inout [Diagnostic]) {
        for definition in definitions {
            let folder = PathParts.directory(definition.path)
            let siblings = configurations.filter { PathParts.directory($0.path) == folder }
            for profile in profiles.select(from: siblings.map { Self.profileName($0.path) }) {
                let configuration = siblings.first { Self.profileName($0.path) == profile }
                lower(definition, configuration: configuration, profile: profile, into: &topology, diagnostics: &diagnostics)
            }
        }
    }

    private func lower(_ definition: XMLSourceDocument, configuration: XMLSourceDocument?, profile: String,
                       into topology: inout Topology, diagnostics: inout [Diagnostic]) {
        let roles = definition.root.children.filter { $0.namespace == Self.definition && ($0.name == "WebRole" || $0.name == "WorkerRole") }
        let configured = configuration?.root.children("Role") ?? []
        for role in configured where !roles.contains(where: { $0.attribute("name")?.value == role.attribute("name")?.value }) {
            diagnostics.append(Diagnostic(level: .error,
                                          message: "role \(role.attribute("name")?.value ?? "(unnamed)") is configured but not defined in \(definition.path)",
                                          location: configuration!.location(role.position)))
        }
        let probes = Set(definition.root.child("LoadBalancerProbes")?.children("LoadBalancerProbe").compactMap { $0.attribute("name")?.value } ?? [])
        for role in roles {
            guard let name = role.attribute("name")?.value else { continue }
            let location = definition.location(role.position)
            let component = Component(id: "cs:\(definition.identityPath)#\(name)@\(profile)", name: name, kind: role.name,
                                      platform: .cloudservices, namespace: nil, role: .workload(.service), location: location)
            component.profile = profile
            let settings = configured.first { $0.attribute("name")?.value == name }
            let count = instanceCount(settings, in: configuration, definedAt: location)
            component.instances = Instances(minimum: count, desired: count, maximum: nil)
            component.recovery = .known(.platform("Cloud Services fabric controller"), at: location, source: "Cloud Services")
            component.containers = [probedRole(role, name: name, probes: probes, in: definition)]
            component.suppressions = Suppression.fromComments(role.precedingComments, at: location)
            if let settings, let configuration {
                component.suppressions.merge(Suppression.fromComments(settings.precedingComments, at: configuration.location(settings.position))) { first, _ in first }
            }
            topology.add(component)
        }
    }

    private func instanceCount(_ settings: XMLElement?, in configuration: XMLSourceDocument?, definedAt location: SourceLocation) -> Fact<Int> {
        guard let configuration else {
            return .unknown(at: location, source: "Instances count",
                            reason: "no configuration other than Local* ones sets it beside the definition (audit those with --profile)")
        }
        guard let attribute = settings?.child("Instances")?.attribute("count") else {
            return .unknown(at: location, source: "Instances count", reason: "\(configuration.path) does not configure this role")
        }
        let at = configuration.location(attribute.position)
        guard let count = Int(attribute.value.trimmingWhitespace()) else {
            return .unknown(at: at, source: "Instances count", reason: "'\(attribute.value)' is not a whole number")
        }
        return .known(count, at: at, source: "Instances count")
    }

    /// A role as the unit whose readiness the load balancer asks about: it serves traffic when it
    /// has input endpoints, and is probed when every one of them is bound to a defined probe.
    /// Without a probe, only the guest agent's Ready state is checked.
    private func probedRole(_ role: XMLElement, name: String, probes: Set<String>, in definition: XMLSourceDocument) -> Container {
        let endpoints = role.child("Endpoints")?.children("InputEndpoint") ?? []
        var unit = Container(name: name, location: definition.location(role.position), servesTraffic: !endpoints.isEmpty,
                             supportsLivenessProbe: false)
        let bound = endpoints.compactMap { endpoint in endpoint.attribute("loadBalancerProbe").map { (endpoint, $0) } }
        if !endpoints.isEmpty, bound.count == endpoints.count, bound.allSatisfy({ probes.contains($0.1.value) }) {
            unit.readiness = .external(at: definition.location(bound[0].1.position), source: "load balancer probe \(bound[0].1.value)")
        }
        return unit
    }
}
