import HAAuditModel

/// What AWS semantics read of a resource, whatever syntax declared it: a CloudFormation template
/// today, a Terraform configuration tomorrow. Properties are named as AWS's resource
/// specification names them (`BackupRetentionPeriod`), a nested one by its path of keys; an
/// implementation maps them to its own syntax and resolves its own expressions.
protocol AWSResourceProperties {
    /// The resource type, as AWS names it: `AWS::RDS::DBInstance`.
    var type: String { get }
    /// The resource itself: where facts about absent properties anchor.
    var location: SourceLocation { get }
    /// Whether the property is written (and not removed by a condition).
    func isSet(_ path: [String]) -> Bool
    /// The property's text, when it is written and resolves to text.
    func text(_ path: [String]) -> String?
    /// The property as a fact: `defaultValue` where absent (nil without one), known where it
    /// resolves to a value of its type, unknown otherwise.
    func int(_ path: [String], default defaultValue: Int?) -> Fact<Int>?
    func bool(_ path: [String], default defaultValue: Bool?) -> Fact<Bool>?
    func string(_ path: [String], default defaultValue: String?) -> Fact<String>?
    /// A list of zone names (not of subnets) as a fact; nil where absent or where it stands for
    /// every zone of the region.
    func zoneNames(_ path: [String]) -> Fact<[String]>?
    /// An entry of a list of `Key`/`Value` attributes (`LoadBalancerAttributes`), as a boolean
    /// fact; nil where the list has no such key.
    func boolAttribute(_ list: String, _ key: String) -> Fact<Bool>?
}

extension AWSResourceProperties {
    func isSet(_ path: String...) -> Bool { isSet(path) }
    func text(_ path: String...) -> String? { text(path) }
    func int(_ path: String..., default defaultValue: Int?) -> Fact<Int>? { int(path, default: defaultValue) }
    func bool(_ path: String..., default defaultValue: Bool?) -> Fact<Bool>? { bool(path, default: defaultValue) }
    func string(_ path: String..., default defaultValue: String?) -> Fact<String>? { string(path, default: defaultValue) }
}
