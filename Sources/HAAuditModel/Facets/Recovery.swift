/// What replaces a workload's instance when it dies.
public enum Recovery: Sendable, Equatable {
    /// A controller recreates it (ReplicaSet, StatefulSet, Auto Scaling group, ...).
    case controller(String)
    /// The platform recreates every instance, whatever the manifest says (Service Fabric, Cloud
    /// Services): nothing the author could leave out.
    case platform(String)
    /// Nothing does.
    case none
}

extension Recovery: TopologyDescribable {
    package var topologyDescription: JSONValue {
        switch self {
        case .controller(let kind), .platform(let kind): .string("controller: \(kind)")
        case .none: .string("none")
        }
    }
}

/// A standalone instance launched like another (same image or launch template, same role) in
/// another zone or subnet: a redundant group built by hand, whose members keep serving when
/// one fails, though nothing replaces it.
public struct RedundantPeer: Sendable, Equatable {
    public var name: String
    /// Its zone, or its subnet when the zone is known only at deploy time.
    public var placement: String
    public var location: SourceLocation

    package init(name: String, placement: String, location: SourceLocation) {
        self.name = name
        self.placement = placement
        self.location = location
    }
}
