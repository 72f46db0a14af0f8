import HAAuditModel
import HAAuditRules

/// What `haaudit simulate --fail` takes away.
public enum FailureScenario: Sendable, Equatable {
    /// One availability zone: each component is judged against the zone worst for it.
    case zone
    /// One node (a Kubernetes node, a virtual machine).
    case node
    /// One instance of every component, each on its own.
    case instance
    /// One component, by id or name: its blast radius.
    case component(String)

    public init(_ argument: String) {
        switch argument {
        case "zone": self = .zone
        case "node": self = .node
        case "instance": self = .instance
        default: self = .component(argument)
        }
    }

    public var name: String {
        switch self {
        case .zone: "zone"
        case .node: "node"
        case .instance: "instance"
        case .component(let name): name
        }
    }
}

/// How one component fares in a scenario, in the worst case.
public struct SimulatedComponent: Sendable {
    public enum Status: String, Sendable, Comparable, CaseIterable {
        case up, degraded, unknown, down

        public static func < (left: Status, right: Status) -> Bool {
            allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
        }
    }

    public var component: Component
    public var status: Status
    public var instancesBefore: Int?
    public var instancesAfter: Int?
    public var reasons: [String]
    /// The components whose failure brought this one down, nearest first.
    public var chain: [Component]
}

public enum SimulationError: Error, CustomStringConvertible {
    case noSuchComponent(String)

    public var description: String {
        switch self {
        case .noSuchComponent(let name): "no component is named \(name) (haaudit topology lists their ids)"
        }
    }
}

/// Fails part of the topology and follows the failure along the relationships that carry it
/// (selects, routes-to, depends-on). Sees only the model, like the rules: where a fact the
/// answer needs is unknown, the answer is unknown.
public struct Simulation: Sendable {
    public var scenario: FailureScenario
    /// How many zones the cluster spans, for workloads that spread over zones without saying
    /// which (Kubernetes topology spread, Service Fabric fault domains); nil: unknown.
    public var zones: Int?

    public init(scenario: FailureScenario, zones: Int? = nil) {
        self.scenario = scenario
        self.zones = zones
    }

    /// Components that serve or hold something, in topology order; alarms, budgets, autoscalers
    /// and subnets are not listed.
    public func run(_ topology: Topology) throws(SimulationError) -> [SimulatedComponent] {
        if case .component(let name) = scenario, !topology.components.contains(where: { matches($0, name) }) {
            throw .noSuchComponent(name)
        }
        var resolver = Resolver(simulation: self, topology: topology)
        return topology.components.filter(Self.isListed).map { resolver.resolve($0) }
    }

    static func isListed(_ component: Component) -> Bool {
        switch component.role {
        case .workload, .datastore, .traffic: true
        case .network: component.natGateway != nil
        case .control: false
        }
    }

    private func matches(_ component: Component, _ name: String) -> Bool {
        component.id == name || component.name == name || "\(component.kind)/\(component.name)" == name
            || component.namespace.map { "\($0)/\(component.name)" == name || "\(component.kind)/\($0)/\(component.name)" == name } == true
    }

    /// What the scenario does to the component itself, before anything it relies on is counted.
    fileprivate func ownOutcome(_ component: Component, isClusterMember: Bool) -> SimulatedComponent {
        let before = component.instances?.minimum.value
        var outcome = SimulatedComponent(component: component, status: .up, instancesBefore: before,
                                         instancesAfter: before, reasons: [], chain: [])
        func set(_ status: SimulatedComponent.Status, after: Int?, _ reason: String) {
            outcome.status = status
            outcome.instancesAfter = after
            outcome.reasons.append(reason)
        }
        // A function that may run no invocation serves nothing, whatever else fails.
        if let limit = component.concurrencyLimit, limit.value == 0 {
            set(.down, after: 0, "\(limit.explained()): every invocation is throttled")
            return outcome
        }
        if case .component(let name) = scenario {
            if matches(component, name) { set(.down, after: before.map { _ in 0 }, "failed on purpose") }
            return outcome
        }
        if let gateway = component.natGateway {
            if scenario == .zone && !gateway.isRegional {
                set(.down, after: nil, "a zonal NAT gateway: the subnets routed through it lose their way out with its zone")
            }
            return outcome
        }
        if scenario == .zone, let zones = component.placement?.confinedZones?.value, zones.count == 1 {
            set(.down, after: before.map { _ in 0 }, "confined to one zone (\(zones[0]))")
            return outcome
        }
        switch component.role {
        case .datastore:
            datastore(component, isClusterMember: isClusterMember, set: set)
        case .workload(.perNode):
            if scenario == .zone && zones == 1 {
                set(.down, after: nil, "runs on every node, and every node is in the one zone")
            } else if scenario == .zone && zones == nil {
                set(.unknown, after: nil, "runs on every node; how many zones the nodes span is not in the manifests (give --zones)")
            } else {
                let lost = scenario == .zone ? "the lost zone's nodes take their instances" : "one node's instance is lost"
                set(.degraded, after: nil, "runs on every node: \(lost), the other nodes keep theirs")
            }
        case .workload:
            workload(component, before: before, set: set)
        case .traffic, .network, .control:
            break
        }
        return outcome
    }

    private func datastore(_ component: Component, isClusterMember: Bool,
                           set: (SimulatedComponent.Status, Int?, String) -> Void) {
        let unmet = component.standbyRequirements.compactMap(\.unmet)
        if component.standbyRequirements.isEmpty {
            if isClusterMember { set(.down, 0, "a single instance: its cluster fails over to another member") }
        } else if let missing = unmet.first(where: { !$0.isUnknown }) {
            set(.down, 0, "no standby to fail over to: \(missing.fact)")
        } else if let unknown = unmet.first {
            set(.unknown, nil, "whether it has a standby is unknown: \(unknown.fact)")
        } else {
            set(.up, nil, "fails over to its standby")
        }
    }

    /// The most instances one of `parts` zones holds: `count / parts` rounded up, written so
    /// that no count a manifest or `--zones` gives can overflow.
    static func share(of count: Int, over parts: Int) -> Int {
        count / parts + (count % parts == 0 ? 0 : 1)
    }

    private func workload(_ component: Component, before: Int?,
                          set: (SimulatedComponent.Status, Int?, String) -> Void) {
        guard let instances = component.instances else { return }
        guard let before else {
            set(.unknown, nil, instances.minimum.explained())
            return
        }
        guard before > 0 else { return }
        let lost: Int
        let reason: String
        switch scenario {
        case .zone:
            // A platform that spreads over zones by itself (Service Fabric's fault domains) does
            // so only in a multi-zone cluster: hence the zone count.
            let spread = component.placement?.spreadsOverZones?.value ?? component.platform.spreadsOverZonesByDefault
            // Volumes that live in one zone hold their pods there: a pod cannot start away from its
            // volume, and volumes bound before scheduling are placed with no regard to spreading.
            let zonal = component.statefulSet?.zonalClaims ?? []
            if let pinned = zonal.first, before == 1 {
                lost = 1
                reason = "its one instance's \(pinned.claim.name) volume (StorageClass \(pinned.storageClass.name)) is pinned to the lost zone: the pod cannot start in another"
            } else if let immediate = zonal.first(where: { $0.storageClass.bindsImmediately == true }) {
                lost = before
                reason = "its \(immediate.claim.name) volumes (StorageClass \(immediate.storageClass.name)) are each made in one zone before their pods are scheduled, whatever spreads the pods: all \(before) may be in the lost zone, and their pods cannot start in another"
            } else if let zones = component.placement?.confinedZones?.value, zones.count > 1 {
                lost = Self.share(of: before, over: zones.count)
                reason = "\(before) over \(zones.count) zones: loses \(lost) in the worst case"
            } else if !spread {
                lost = before
                reason = "nothing spreads its \(counted(before, "instance")) over zones: all may share the lost zone"
            } else if let zones, zones > 0 {
                lost = Self.share(of: before, over: zones)
                reason = "\(before) spread over \(zones) zones: loses \(lost) in the worst case"
            } else if before == 1 {
                lost = 1
                reason = "its one instance is in the lost zone"
            } else {
                set(.unknown, nil, "\(before) spread over zones, but how many zones there are is not in the manifests (give --zones)")
                return
            }
        case .node:
            let spread = component.placement?.spreadsOverNodes?.value ?? component.platform.spreadsOverNodesByDefault
            lost = spread ? 1 : before
            reason = spread ? "one instance a node: loses 1" : "nothing spreads its \(counted(before, "instance")) over nodes: all may share the lost node"
        case .instance, .component:
            lost = 1
            reason = "loses 1 of \(before)"
        }
        let after = before - min(lost, before)
        set(after == 0 ? .down : .degraded, after, reason)
    }
}

/// Resolves components once each, following selects, routes-to and depends-on.
private struct Resolver {
    let simulation: Simulation
    let topology: Topology
    var resolved: [String: SimulatedComponent] = [:]
    var visiting: Set<String> = []
    /// The outcomes of a group of targets that many components share (a thousand Services
    /// selecting the same thousand Deployments), with its ids: worked out once, not once a Service.
    var groupOutcomes: [ObjectIdentifier: (ids: Set<String>, outcomes: [SimulatedComponent])] = [:]

    init(simulation: Simulation, topology: Topology) {
        self.simulation = simulation
        self.topology = topology
    }

    /// Relationships to alternatives: one left up keeps the component up (a Service's
    /// workloads, a cluster's members, a failover partner).
    static let carrying: [Relationship.Kind] = [.selects, .routesTo, .dependsOn]

    private mutating func outcomes(of targets: [Component]) -> [SimulatedComponent] {
        targets.filter { !visiting.contains($0.id) }.map { resolve($0) }
    }

    /// Those of a shared group, from the memo unless one of them is being resolved (a cycle).
    private mutating func outcomes(of group: SharedTargets) -> [SimulatedComponent] {
        if let known = groupOutcomes[ObjectIdentifier(group)], !visiting.contains(where: known.ids.contains) {
            return known.outcomes
        }
        let found = outcomes(of: group.components)
        if found.count == group.components.count {
            groupOutcomes[ObjectIdentifier(group)] = (Set(group.components.map(\.id)), found)
        }
        return found
    }

    mutating func resolve(_ component: Component) -> SimulatedComponent {
        if let done = resolved[component.id] { return done }
        let isClusterMember = topology.sources(of: component, .dependsOn).contains { $0.role == .datastore }
        var outcome = simulation.ownOutcome(component, isClusterMember: isClusterMember)
        // A cycle (failover partners name each other) is cut where it closes.
        guard visiting.insert(component.id).inserted else { return outcome }
        defer { visiting.remove(component.id) }
        // A workload needs every data store it depends on; anything else needs one of its targets.
        let isWorkload = component.workloadShape != nil
        let kinds: [Relationship.Kind] = isWorkload ? [.selects, .routesTo] : Self.carrying
        let alternatives = topology.sharedTargets(of: component, kinds).map { outcomes(of: $0) }
            ?? outcomes(of: kinds.flatMap { topology.targets(of: component, $0) })
        let needed = isWorkload ? outcomes(of: topology.targets(of: component, .dependsOn)) : []
        if alternatives.isEmpty {
            if (component.service != nil || component.ingress != nil) && outcome.status == .up {
                outcome.status = .unknown
                outcome.reasons.append("sends traffic to nothing in the scanned files")
            }
        } else {
            combine(&outcome, with: alternatives)
        }
        if let cause = needed.max(by: { $0.status < $1.status }), cause.status != .up {
            outcome.reasons.append("needs \(cause.component.title), which is \(cause.status.rawValue)")
            if cause.status > outcome.status {
                outcome.status = cause.status
                outcome.chain = [cause.component] + cause.chain
            }
        }
        resolved[component.id] = outcome
        return outcome
    }

    /// All targets down: down; any unknown: unknown; any down or degraded: degraded.
    private func combine(_ outcome: inout SimulatedComponent, with targets: [SimulatedComponent]) {
        let statuses = targets.map(\.status)
        var inherited: SimulatedComponent.Status =
            statuses.allSatisfy { $0 == .down } ? .down
            : statuses.contains(.unknown) ? .unknown
            : statuses.contains { $0 != .up } ? .degraded : .up
        guard inherited != .up,
              let cause = targets.first(where: { $0.status == inherited }) ?? targets.max(by: { $0.status < $1.status }) else { return }
        let failsOver = outcome.component.role == .datastore && !outcome.component.standbyRequirements.isEmpty
            && outcome.component.standbyRequirements.allSatisfy { $0.unmet == nil }
        let what = targets.count == 1 ? "\(cause.component.title) is \(cause.status.rawValue)"
            : inherited == .down ? "all \(targets.count) components it relies on are down"
            : "\(cause.component.title), one of the \(targets.count) components it relies on, is \(cause.status.rawValue)"
        if inherited == .down && failsOver {
            inherited = .degraded
            outcome.reasons = ["its \(targets.count) members are each down in their own worst case; it fails over to one that is left"]
        } else {
            outcome.reasons.append(what)
        }
        if inherited > outcome.status {
            outcome.status = inherited
            outcome.chain = [cause.component] + cause.chain
        }
    }
}
