/// A DNS failover record.
public struct FailoverFacet: Sendable {
    public var isPrimary: Bool
    public var role: SourceLocation
    /// Where the record's health signal is written: HealthCheckId, or an alias's
    /// EvaluateTargetHealth; nil when it has none.
    public var healthSignal: Fact<Bool>
    /// The record of the other role with the same name and type, when there is one.
    public var partner: String?

    package init(isPrimary: Bool, role: SourceLocation, healthSignal: Fact<Bool>, partner: String? = nil) {
        self.isPrimary = isPrimary
        self.role = role
        self.healthSignal = healthSignal
        self.partner = partner
    }
}

extension FailoverFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("role", .string(isPrimary ? "PRIMARY" : "SECONDARY")),
            ("healthSignal", healthSignal.topologyDescription),
            ("partner", .optional(partner)),
        ])
    }
}
