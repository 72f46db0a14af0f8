/// The platform a component was declared for, which its kinds and ids belong to.
///
/// Open rather than an enum, so that a new frontend declares its own platform in its own folder
/// (`extension Platform { static let toy = Platform(rawValue: "toy") }`) without touching the
/// model. The four below are declared here, not by their frontends, because the rules' examples
/// name them and the rules see only the model.
public struct Platform: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let kubernetes = Platform(rawValue: "kubernetes")
    public static let cloudformation = Platform(rawValue: "cloudformation")
    public static let servicefabric = Platform(rawValue: "servicefabric")
    public static let cloudservices = Platform(rawValue: "cloudservices")
}
