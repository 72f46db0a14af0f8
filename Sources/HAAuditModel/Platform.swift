/// The platform a component was declared for, which its kinds and ids belong to.
///
/// Open rather than an enum, so that a new frontend declares its own platform in its own folder
/// (`extension Platform { static let toy = Platform(rawValue: "toy") }`) without touching the
/// model. The four below are declared here, not by their frontends, because the rules' examples
/// name them and the rules see only the model.
///
/// A platform also says what it does when a manifest is silent, so that the simulator and the
/// reports ask the platform instead of naming it.
public struct Platform: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    /// Whether it puts each instance on a machine of its own unless told otherwise (a Kubernetes
    /// scheduler may put every replica on one node; an Auto Scaling group or a Cloud Services role
    /// runs an instance a machine).
    public let spreadsOverNodesByDefault: Bool
    /// Whether it spreads instances over zones unless told otherwise (Service Fabric puts a
    /// partition's instances in distinct fault domains).
    public let spreadsOverZonesByDefault: Bool
    /// What it calls what a manifest declares, for SARIF's logical locations: "object", "resource".
    public let declaresA: String
    /// What messages call one running copy of a workload: "replica", "instance".
    public let instanceNoun: String

    public init(rawValue: String) {
        self.init(rawValue, spreadsOverNodesByDefault: true, spreadsOverZonesByDefault: false, declaresA: "resource",
                  instanceNoun: "instance")
    }

    public init(_ rawValue: String, spreadsOverNodesByDefault: Bool, spreadsOverZonesByDefault: Bool, declaresA: String,
                instanceNoun: String) {
        self.rawValue = rawValue
        self.spreadsOverNodesByDefault = spreadsOverNodesByDefault
        self.spreadsOverZonesByDefault = spreadsOverZonesByDefault
        self.declaresA = declaresA
        self.instanceNoun = instanceNoun
    }

    public static func == (lhs: Platform, rhs: Platform) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public static let kubernetes = Platform("kubernetes", spreadsOverNodesByDefault: false, spreadsOverZonesByDefault: false,
                                            declaresA: "object", instanceNoun: "replica")
    public static let cloudformation = Platform(rawValue: "cloudformation")
    public static let servicefabric = Platform("servicefabric", spreadsOverNodesByDefault: true, spreadsOverZonesByDefault: true,
                                               declaresA: "resource", instanceNoun: "instance")
    public static let cloudservices = Platform(rawValue: "cloudservices")
}
