/// How one component relates to another.
public struct Relationship: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// A Service or PodDisruptionBudget selects a workload's pods.
        case selects
        /// Traffic flows from one component to another (Ingress to Service).
        case routesTo = "routes-to"
        /// An autoscaler sets a workload's instance count.
        case scales
        /// A disruption budget protects a workload.
        case protects
        /// An alarm watches a component.
        case monitors
        /// A component runs in a subnet or zone.
        case runsIn = "runs-in"
        case dependsOn = "depends-on"
    }

    public var kind: Kind
    public var from: String
    public var to: String
    /// Where the relationship was written (the selector, the backend, the scaleTargetRef).
    public var location: SourceLocation

    /// Reports of the topology (`haaudit topology`) list at most this many of one source's
    /// relationships written at one place (a selector's), and count the others.
    public static let listedPerSource = 20
}

/// Relationships a report left out: those of one source, written at one place, past
/// `Relationship.listedPerSource`.
public struct OmittedRelationships: Sendable {
    public var kind: Relationship.Kind
    public var from: String
    public var location: SourceLocation
    public var count: Int
}

/// Components that several relationships lead to, recorded once however many sources share
/// them: the pods of one selector in one namespace (a thousand Services selecting a thousand
/// Deployments by one label hold a thousand and one entries, not a million), the copies of one
/// named Service.
package final class SharedTargets: Sendable {
    package let components: [Component]

    package init(_ components: [Component]) {
        self.components = components
    }
}

/// An object of a kind haaudit does not model (a custom resource), which an operator may turn
/// into pods and Services that no scanned file declares.
public struct OpaqueObject: Sendable {
    public var kind: String
    public var name: String
    public var location: SourceLocation
    /// The label sets its spec gives the pods it creates (`podMetadata.labels`, a pod
    /// template's `metadata.labels`).
    public var podLabels: [[String: String]]

    package init(kind: String, name: String, location: SourceLocation, podLabels: [[String: String]] = []) {
        self.kind = kind
        self.name = name
        self.location = location
        self.podLabels = podLabels
    }
}

/// What one namespace holds in the scanned files, so that rules can tell a reference that is
/// missing from one whose target was simply not scanned.
public struct NamespaceContents: Sendable {
    public var workloads = 0
    public var services = 0
    public var opaqueObjects: [OpaqueObject] = []

    package init() {}
}

/// Every component of one run, over every file, and how they relate. The package's frontends
/// build it (its initializer and mutating methods are `package`); rules and reports only read it.
///
/// A relationship is stored as a fan-out: one source, one kind, one place written, and either one
/// target or a `SharedTargets` group, so that sources sharing their targets cost one entry each.
public struct Topology: Sendable {
    public private(set) var components: [Component] = []
    /// By namespace (Kubernetes).
    public package(set) var namespaces: [String: NamespaceContents] = [:]
    /// How many relationships there are, counting each target of a group.
    public private(set) var relationshipCount = 0
    private var indexByID: [String: Int] = [:]
    private var fanouts: [Fanout] = []
    private var groups: [SharedTargets] = []
    private var groupIndex: [ObjectIdentifier: Int32] = [:]
    /// Per group: the positions in `fanouts` of those that lead to it.
    private var fanoutsByGroup: [[Int32]] = []
    /// Per component (by index in `components`): the positions in `fanouts` of those from it,
    /// of those to it alone, and the groups it is in.
    private var outgoingByComponent: [[Int32]] = []
    private var incomingByComponent: [[Int32]] = []
    private var groupsByComponent: [[Int32]] = []

    private struct Fanout {
        enum Targets {
            /// One target: its position in `components` (-1 when not added) and its id.
            case one(Int32, id: String)
            /// A position in `groups`.
            case group(Int32)
        }

        var kind: Relationship.Kind
        var from: String
        /// The position of the source in `components`, -1 when not added.
        var source: Int32
        var location: SourceLocation
        var targets: Targets
    }

    package init() {}

    /// Makes room for `count` more components, when a frontend knows how many it will add.
    package mutating func reserveCapacity(forMoreComponents count: Int) {
        components.reserveCapacity(components.count + count)
        indexByID.reserveCapacity(indexByID.count + count)
    }

    /// Adds a component; a second one with the same id (the same object written twice) is ignored
    /// and returned false, so that the caller can say so.
    @discardableResult
    package mutating func add(_ component: Component) -> Bool {
        if let existing = indexByID.updateValue(components.count, forKey: component.id) {
            indexByID[component.id] = existing
            return false
        }
        component.topologyIndex = components.count
        components.append(component)
        outgoingByComponent.append([])
        incomingByComponent.append([])
        groupsByComponent.append([])
        return true
    }

    /// Records a relationship; only those between components already added are found by
    /// `outgoing` and `incoming`.
    package mutating func relate(_ kind: Relationship.Kind, from: String, to: String, at location: SourceLocation) {
        let target = indexByID[to] ?? -1
        record(Fanout(kind: kind, from: from, source: Int32(indexByID[from] ?? -1), location: location, targets: .one(Int32(target), id: to)))
        if target >= 0 { incomingByComponent[target].append(Int32(fanouts.count - 1)) }
        relationshipCount += 1
    }

    /// Records a relationship between two components, without looking up their ids.
    package mutating func relate(_ kind: Relationship.Kind, from source: Component, to target: Component, at location: SourceLocation) {
        let end = position(of: target) ?? -1
        record(Fanout(kind: kind, from: source.id, source: Int32(position(of: source) ?? -1), location: location,
                      targets: .one(Int32(end), id: target.id)))
        if end >= 0 { incomingByComponent[end].append(Int32(fanouts.count - 1)) }
        relationshipCount += 1
    }

    /// Records a relationship from `source` to each of `targets` (components added here), keeping
    /// the group once for every source that shares it.
    package mutating func relate(_ kind: Relationship.Kind, from source: Component, to targets: SharedTargets, at location: SourceLocation) {
        let group: Int32
        if let known = groupIndex[ObjectIdentifier(targets)] {
            group = known
        } else {
            group = Int32(groups.count)
            groupIndex[ObjectIdentifier(targets)] = group
            groups.append(targets)
            fanoutsByGroup.append([])
            for target in targets.components {
                if let position = position(of: target) { groupsByComponent[position].append(group) }
            }
        }
        record(Fanout(kind: kind, from: source.id, source: Int32(position(of: source) ?? -1), location: location, targets: .group(group)))
        fanoutsByGroup[Int(group)].append(Int32(fanouts.count - 1))
        relationshipCount += targets.components.count
    }

    private mutating func record(_ fanout: Fanout) {
        if fanout.source >= 0 { outgoingByComponent[Int(fanout.source)].append(Int32(fanouts.count)) }
        fanouts.append(fanout)
    }

    /// Where `component` is in `components`: its own position when it was added here, else that
    /// of the component with its id (a copy that was not added, or one from another topology).
    private func position(of component: Component) -> Int? {
        let index = component.topologyIndex
        return components.indices.contains(index) && components[index] === component ? index : indexByID[component.id]
    }

    public subscript(id: String) -> Component? {
        indexByID[id].map { components[$0] }
    }

    /// The relationships of `kind` from `component`: like `outgoing(component.id, kind)`, without hashing.
    public func outgoing(_ component: Component, _ kind: Relationship.Kind) -> [Relationship] {
        position(of: component).map { outgoing(at: $0, kind) } ?? []
    }

    /// The relationships of `kind` to `component`.
    public func incoming(_ component: Component, _ kind: Relationship.Kind) -> [Relationship] {
        position(of: component).map { incoming(at: $0, kind) } ?? []
    }

    public func outgoing(_ id: String, _ kind: Relationship.Kind) -> [Relationship] {
        indexByID[id].map { outgoing(at: $0, kind) } ?? []
    }

    public func incoming(_ id: String, _ kind: Relationship.Kind) -> [Relationship] {
        indexByID[id].map { incoming(at: $0, kind) } ?? []
    }

    /// Whether any relationship of `kind` leads to `component` (without making them: a workload
    /// may be selected by a thousand Services).
    public func hasIncoming(_ component: Component, _ kind: Relationship.Kind) -> Bool {
        guard let position = position(of: component) else { return false }
        return incomingFanouts(at: position).contains { fanouts[Int($0)].kind == kind }
    }

    /// Whether `component` has any relationship of `kind`.
    public func hasOutgoing(_ component: Component, _ kind: Relationship.Kind) -> Bool {
        guard let position = position(of: component) else { return false }
        return outgoingByComponent[position].contains { fanouts[Int($0)].kind == kind }
    }

    /// The components `component` relates to by `kind` (a Service: the workloads it selects).
    public func targets(of component: Component, _ kind: Relationship.Kind) -> [Component] {
        guard let position = position(of: component) else { return [] }
        var found: [Component] = []
        for fanout in outgoingByComponent[position].lazy.map({ fanouts[Int($0)] }) where fanout.kind == kind {
            switch fanout.targets {
            case .one(let target, _): if target >= 0 { found.append(components[Int(target)]) }
            // A group is shared, not copied, when it is all there is.
            case .group(let group): found = found.isEmpty ? groups[Int(group)].components : found + groups[Int(group)].components
            }
        }
        return found
    }

    /// The group that is all `component` relates to by `kinds`, when it is one group (a Service's
    /// selected workloads): what depends only on the group can be worked out once for it.
    package func sharedTargets(of component: Component, _ kinds: [Relationship.Kind]) -> SharedTargets? {
        guard let position = position(of: component) else { return nil }
        let found = outgoingByComponent[position].map { fanouts[Int($0)] }.filter { kinds.contains($0.kind) }
        guard found.count == 1, case .group(let group) = found[0].targets else { return nil }
        return groups[Int(group)]
    }

    /// The components that relate to `component` by `kind` (a target group: its load balancers).
    public func sources(of component: Component, _ kind: Relationship.Kind) -> [Component] {
        guard let position = position(of: component) else { return [] }
        return incomingFanouts(at: position).compactMap { index in
            let fanout = fanouts[Int(index)]
            return fanout.kind == kind && fanout.source >= 0 ? components[Int(fanout.source)] : nil
        }
    }

    private func outgoing(at position: Int, _ kind: Relationship.Kind) -> [Relationship] {
        var found: [Relationship] = []
        for index in outgoingByComponent[position] where fanouts[Int(index)].kind == kind {
            expand(fanouts[Int(index)]) { found.append($0) }
        }
        return found
    }

    private func incoming(at position: Int, _ kind: Relationship.Kind) -> [Relationship] {
        let to = components[position].id
        return incomingFanouts(at: position).compactMap { index in
            let fanout = fanouts[Int(index)]
            return fanout.kind == kind ? Relationship(kind: kind, from: fanout.from, to: to, location: fanout.location) : nil
        }
    }

    /// The positions of the fan-outs that lead to the component at `position`, in the order recorded.
    private func incomingFanouts(at position: Int) -> [Int32] {
        let byGroup = groupsByComponent[position]
        if byGroup.isEmpty { return incomingByComponent[position] }
        return (incomingByComponent[position] + byGroup.flatMap { fanoutsByGroup[Int($0)] }).sorted()
    }

    /// Each relationship of `fanout`, up to `limit`; returns how many were left out.
    @discardableResult
    private func expand(_ fanout: Fanout, limit: Int = .max, _ body: (Relationship) -> Void) -> Int {
        switch fanout.targets {
        case .one(_, let id):
            body(Relationship(kind: fanout.kind, from: fanout.from, to: id, location: fanout.location))
            return 0
        case .group(let group):
            let targets = groups[Int(group)].components
            for target in targets.prefix(limit) {
                body(Relationship(kind: fanout.kind, from: fanout.from, to: target.id, location: fanout.location))
            }
            return max(0, targets.count - limit)
        }
    }

    /// Every relationship, in the order recorded, for reports: past `limit` of one source written
    /// at one place, the rest are counted in `omitted` instead.
    public func relationships(limit: Int = Relationship.listedPerSource) -> (listed: [Relationship], omitted: [OmittedRelationships]) {
        var listed: [Relationship] = []
        var omitted: [OmittedRelationships] = []
        for fanout in fanouts {
            let left = expand(fanout, limit: limit) { listed.append($0) }
            if left > 0 { omitted.append(OmittedRelationships(kind: fanout.kind, from: fanout.from, location: fanout.location, count: left)) }
        }
        return (listed, omitted)
    }
}
