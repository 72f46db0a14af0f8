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
}

/// An object of a kind haaudit does not model (a custom resource), which an operator may turn
/// into pods and Services that no scanned file declares.
public struct OpaqueObject: Sendable {
    public var kind: String
    public var name: String
    public var location: SourceLocation
}

/// What one namespace holds in the scanned files, so that rules can tell a reference that is
/// missing from one whose target was simply not scanned.
public struct NamespaceContents: Sendable {
    public var workloads = 0
    public var services = 0
    public var opaqueObjects: [OpaqueObject] = []
}

/// Every component of one run, over every file, and how they relate.
public struct Topology: Sendable {
    public private(set) var components: [Component] = []
    public private(set) var relationships: [Relationship] = []
    /// By namespace (Kubernetes).
    public var namespaces: [String: NamespaceContents] = [:]
    private var indexByID: [String: Int] = [:]
    /// Per component (by index in `components`): the positions of its relationships in `relationships`.
    private var outgoingByComponent: [[Int32]] = []
    private var incomingByComponent: [[Int32]] = []
    /// Per relationship: the positions in `components` of its ends, -1 for an end not added.
    private var ends: [(from: Int32, to: Int32)] = []

    public init() {}

    /// Makes room for `count` more components, when a frontend knows how many it will add.
    public mutating func reserveCapacity(forMoreComponents count: Int) {
        components.reserveCapacity(components.count + count)
        indexByID.reserveCapacity(indexByID.count + count)
    }

    /// Adds a component; a second one with the same id (the same object written twice) is ignored
    /// and returned false, so that the caller can say so.
    @discardableResult
    public mutating func add(_ component: Component) -> Bool {
        if let existing = indexByID.updateValue(components.count, forKey: component.id) {
            indexByID[component.id] = existing
            return false
        }
        component.topologyIndex = components.count
        components.append(component)
        outgoingByComponent.append([])
        incomingByComponent.append([])
        return true
    }

    /// Records a relationship; only those between components already added are found by
    /// `outgoing` and `incoming`.
    public mutating func relate(_ kind: Relationship.Kind, from: String, to: String, at location: SourceLocation) {
        record(Relationship(kind: kind, from: from, to: to, location: location), from: indexByID[from] ?? -1, to: indexByID[to] ?? -1)
    }

    /// Records a relationship between two components, without looking up their ids.
    mutating func relate(_ kind: Relationship.Kind, from source: Component, to target: Component, at location: SourceLocation) {
        record(Relationship(kind: kind, from: source.id, to: target.id, location: location),
               from: position(of: source) ?? -1, to: position(of: target) ?? -1)
    }

    private mutating func record(_ relationship: Relationship, from source: Int, to target: Int) {
        let position = Int32(relationships.count)
        relationships.append(relationship)
        ends.append((Int32(source), Int32(target)))
        if source >= 0 { outgoingByComponent[source].append(position) }
        if target >= 0 { incomingByComponent[target].append(position) }
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
        relationships(at: position(of: component).map { outgoingByComponent[$0] } ?? [], kind)
    }

    /// The relationships of `kind` to `component`.
    public func incoming(_ component: Component, _ kind: Relationship.Kind) -> [Relationship] {
        relationships(at: position(of: component).map { incomingByComponent[$0] } ?? [], kind)
    }

    /// The components `component` relates to by `kind` (a Service: the workloads it selects).
    public func targets(of component: Component, _ kind: Relationship.Kind) -> [Component] {
        ends(at: position(of: component).map { outgoingByComponent[$0] } ?? [], kind) { $0.to }
    }

    /// The components that relate to `component` by `kind` (a target group: its load balancers).
    public func sources(of component: Component, _ kind: Relationship.Kind) -> [Component] {
        ends(at: position(of: component).map { incomingByComponent[$0] } ?? [], kind) { $0.from }
    }

    /// The components at one end (`end`) of the relationships of `kind` at `positions`.
    private func ends(at positions: [Int32], _ kind: Relationship.Kind, _ end: ((from: Int32, to: Int32)) -> Int32) -> [Component] {
        positions.compactMap { position in
            let component = Int(end(ends[Int(position)]))
            return relationships[Int(position)].kind == kind && component >= 0 ? components[component] : nil
        }
    }

    public func outgoing(_ id: String, _ kind: Relationship.Kind) -> [Relationship] {
        relationships(at: indexByID[id].map { outgoingByComponent[$0] } ?? [], kind)
    }

    public func incoming(_ id: String, _ kind: Relationship.Kind) -> [Relationship] {
        relationships(at: indexByID[id].map { incomingByComponent[$0] } ?? [], kind)
    }

    private func relationships(at positions: [Int32], _ kind: Relationship.Kind) -> [Relationship] {
        var found: [Relationship] = []
        for position in positions where relationships[Int(position)].kind == kind {
            found.append(relationships[Int(position)])
        }
        return found
    }
}
